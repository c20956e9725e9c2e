#!/usr/bin/env bats
# The command line: help, bad options, exit codes, privileges, filters,
# and hostile strings from processes.
load helpers

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
}

@test "no command: usage on stderr, exit 2" {
	run "$SCLENS"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Usage: sclens COMMAND"* ]]
}

@test "unknown command: exit 2" {
	run "$SCLENS" frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'frobnicate'"* ]]
}

@test "--help lists the commands; watch --help has USAGE and EXAMPLES" {
	run "$SCLENS" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *watch* ]]
	run "$SCLENS" watch --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: sclens watch"* ]]
	[[ "$output" != *"USAGE:"* ]]
	[[ "$output" == *"EXAMPLES:"* ]]
	[[ "$output" == *"--syscall"* ]]
}

@test "bad option values: exit 2 with what is wrong" {
	run "$SCLENS" watch --pid abc
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid PID 'abc'"* ]]
	run "$SCLENS" watch --count 0
	[ "$status" -eq 2 ]
	run "$SCLENS" watch --duration 1x
	[ "$status" -eq 2 ]
	run "$SCLENS" watch --comm waytoolongcommandname
	[ "$status" -eq 2 ]
	run "$SCLENS" watch --no-such-option
	[ "$status" -eq 2 ]
}

@test "record and daemon refuse the terminal report's options instead of ignoring them" {
	for args in "record --json" "record --color always" "record --installs" "daemon --json" "daemon --color never" "daemon --installs"; do
		# shellcheck disable=SC2086 # the command and its option, split on purpose
		run "$SCLENS" $args
		[ "$status" -eq 2 ] || { echo "$args: $status"; false; }
		opt=${args#* }
		[[ "$output" == "sclens ${args%% *}: ${opt%% *} does not apply: "* ]]
	done
}

@test "unknown syscall name: exit 2, and a JSON error in JSON mode" {
	run "$SCLENS" watch --syscall no_such_call
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown syscall 'no_such_call'"* ]]
	run "$SCLENS" watch --json --syscall no_such_call
	[ "$status" -eq 2 ]
	echo "$output" | grep '^{' | jq -e '.error' >/dev/null
}

@test "--cgroup that is not a cgroup v2 directory: exit 2" {
	run "$SCLENS" watch --cgroup /tmp
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a cgroup v2 directory"* ]]
	run "$SCLENS" watch --cgroup /nonexistent
	[ "$status" -eq 2 ]
}

@test "without privileges: one line saying what is needed, exit 3" {
	need_root
	command -v setpriv >/dev/null || skip "setpriv (util-linux) missing"
	run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$SCLENS" watch
	[ "$status" -eq 3 ]
	[[ "$output" == *"needs root or CAP_BPF+CAP_PERFMON"* ]]
}

@test "--count and --duration stop by themselves" {
	need_root
	start_watch --json --count 1 --duration 20
	"$SCDENY" errno >/dev/null
	for _ in $(seq 50); do kill -0 "$WATCH_PID" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID"
	[ "$(denials | wc -l)" -eq 1 ]
	start_watch --duration 1
	sleep 2
	! kill -0 "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID"
	grep -q "0 denials reported" "$WATCH_ERR"
}

@test "--pid, --comm and --syscall keep only what was asked" {
	need_root
	start_watch --json --syscall getuid
	run "$SCDENY" errno
	stop_watch
	[ "$(denials | wc -l)" -eq 1 ]
	[ "$(denials .syscall)" = '"getuid"' ]

	start_watch --json --comm nosuchcomm
	"$SCDENY" errno >/dev/null
	stop_watch
	[ "$(denials | wc -l)" -eq 0 ]
	[ "$(jq -s '[.[] | select(.type == "summary")][0].denials_seen' "$WATCH_OUT")" -ge 3 ]

	"$SCDENY" spin_then_deny >"$BATS_TEST_TMPDIR/spin.out" &
	spin=$!
	for _ in $(seq 50); do grep -q spinning "$BATS_TEST_TMPDIR/spin.out" && break; sleep 0.1; done
	start_watch --json --pid "$spin"
	"$SCDENY" errno >/dev/null
	kill -USR1 "$spin"
	for _ in $(seq 50); do grep -q call=clock_settime "$BATS_TEST_TMPDIR/spin.out" && break; sleep 0.1; done
	kill -USR2 "$spin"
	wait "$spin"
	stop_watch
	cat "$BATS_TEST_TMPDIR/spin.out"
	denials | cut -c1-400
	tail -3 "$WATCH_ERR"
	[ "$(denials | wc -l)" -eq 1 ]
	[ "$(denials .pid)" -eq "$spin" ]
}

@test "control characters in a command name never reach the terminal; JSON stays valid" {
	need_root
	start_watch
	"$SCDENY" evil_comm >/dev/null
	stop_watch
	grep -q 'ev\\x1b\[2J\\x0a"il' "$WATCH_OUT"
	! grep -q $'\x1b' "$WATCH_OUT"
	start_watch --json
	"$SCDENY" evil_comm >/dev/null
	stop_watch
	[ "$(denials .comm)" = '"ev\u001b[2J\n\"il"' ]
}

@test "-v shows libbpf's own messages; SIGTERM detaches cleanly with a summary" {
	need_root
	run "$SCLENS" watch -v --duration 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"libbpf: "* ]]
	start_watch --json
	kill -TERM "$WATCH_PID"
	st=0
	wait "$WATCH_PID" || st=$?
	[ "$st" -eq 0 ]
	jq -se '.[-1].type == "summary" and .[-1].events_lost == 0' "$WATCH_OUT"
}

@test "help: -h works for every command, one Usage line, no broken wrapping; --version listed" {
	run "$SCLENS" --help
	[[ "$output" == *"--version"* ]]
	for c in watch daemon record explain run posture "profile convert" "profile generate" "profile merge" \
		"profile tighten" "profile diff" "filter dump" "filter eval"; do
		# shellcheck disable=SC2086 # two-word commands split on purpose
		run "$SCLENS" $c -h
		[ "$status" -eq 0 ] || { echo "$c -h: exit $status"; false; }
		[ "$(echo "$output" | grep -c '^Usage: sclens')" -eq 1 ]
		[[ "$output" != *"USAGE:"* ]]
		[[ "$output" == *"EXAMPLES:"* ]]
		# a line of one or two words that is not a heading is a bad wrap
		bad=$(echo "$output" | awk 'NF > 0 && NF <= 2 && !/^ *-/ && !/:$/ && !/^  sclens/ && !/^                             / && !/\.$/')
		[ -z "$bad" ] || { echo "$c: badly wrapped: $bad"; false; }
	done
}

@test "filters: lists and repeats, numbers, classes, durations with units; typos get a suggestion" {
	need_root
	start_watch --json -s clock_settime -s getuid,fchdir -c scdeny,nosuch -d 1m
	"$SCDENY" errno >/dev/null 2>&1 || true
	stop_watch
	[ "$WATCH_RC" -eq 0 ]
	[ "$(denials | jq -s 'map(.syscall) | unique | sort' | jq -c .)" = '["clock_settime","getuid"]' ]
	start_watch --json -s 227 -s %creds
	"$SCDENY" errno >/dev/null 2>&1 || true
	stop_watch
	[ "$(denials | jq -s 'map(.syscall) | unique | sort' | jq -c .)" = '["clock_settime","getuid"]' ]
	run "$SCLENS" watch -s clock_setime
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown syscall 'clock_setime' (did you mean clock_settime?)"* ]]
	run "$SCLENS" watch --json -s clock_setime
	[ "$status" -eq 2 ]
	echo "$output" | grep '^{' | jq -e '.error == "unknown syscall" and (.detail | contains("clock_settime"))'
	run "$SCLENS" watch -s %bogus
	[ "$status" -eq 2 ]
	run "$SCLENS" watch -d 5x
	[ "$status" -eq 2 ]
	run "$SCLENS" explain -f docker-20.10 -s clock_setime
	[ "$status" -eq 2 ]
	[[ "$output" == *"did you mean clock_settime?"* ]]
	run "$SCLENS" explain -f docker-20.10 -s clock_settime -s getuid
	[[ "$output" == *"clock_settime: errno EPERM"* ]]
	[[ "$output" == *"getuid: allow"* ]]
}

@test "no match: a pid that does not exist is an error; a container that does not run yet, a warning" {
	need_root
	run "$SCLENS" watch -p 999999 -d 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"no process 999999"* ]]
	run "$SCLENS" watch --container no-such-container -d 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"no running container matches"*"waiting for one to start"* ]]
	run "$SCLENS" watch --json --bogus
	[ "$status" -eq 2 ]
	echo "$output" | grep '^{' | jq -e '.error == "invalid arguments"'
}

@test "human output: arguments decoded, path arguments read from the process, host label" {
	need_root
	start_watch -c scdeny
	"$SCDENY" mount >/dev/null 2>&1 || true
	stop_watch
	cat "$WATCH_OUT"
	grep -q 'mount("none", "/mnt", "tmpfs", MS_NOSUID, 0) = -1 EPERM' "$WATCH_OUT"
	grep -q 'unshare(CLONE_NEWNS) = -1 EPERM' "$WATCH_OUT"
	grep -Eq '^[0-9:]+ host' "$WATCH_OUT"
	start_watch --json -c scdeny
	"$SCDENY" mount >/dev/null 2>&1 || true
	stop_watch
	denials 'select(.syscall == "mount")' | jq -e '.arg_strings == [{"index":0,"value":"none"},{"index":1,"value":"/mnt"},{"index":2,"value":"tmpfs"}]'
}

@test "output width: on an 80-column terminal (COLUMNS=80) no line of watch, explain or posture passes 80; piped, lines stay whole for grep" {
	run env COLUMNS=80 "$SCLENS" explain -f docker-20.10 -s clock_settime,mount
	[ "$status" -eq 0 ]
	[ "$(awk '{ print length }' <<<"$output" | sort -n | tail -1)" -le 80 ]
	[[ "$output" == *$'\n      containers with CAP_SYS_TIME'* ]] # wrapped under the why's text
	run "$SCLENS" explain -f docker-20.10 -s clock_settime
	[[ "$output" == *"why:  Docker 20.10 default allows settimeofday, stime and clock_settime only for containers with CAP_SYS_TIME"* ]]
	need_root
	COLUMNS=80 start_watch -c scdeny
	"$SCDENY" mount >/dev/null 2>&1 || true
	stop_watch
	cat "$WATCH_OUT"
	grep -q 'mount(' "$WATCH_OUT"
	[ "$(awk '{ print length }' "$WATCH_OUT" | sort -n | tail -1)" -le 80 ]
	run env COLUMNS=80 "$SCLENS" posture
	[ "$(awk '{ print length }' <<<"$output" | sort -n | tail -1)" -le 80 ]
}

@test "human output: kernel capability notes, grouped why lines, colour, notes and privilege messages" {
	run "$SCLENS" explain -f docker-20.10 -s setpriority
	[[ "$output" == *"the kernel also requires CAP_SYS_NICE"* ]]
	run "$SCLENS" explain -f docker-20.10 -s mount
	[[ "$output" == *"allows mount and 23 other calls only for containers with CAP_SYS_ADMIN"* ]]
	run "$SCLENS" explain -f docker-20.10 -s clock_settime
	[[ "$output" != *$'\e['* ]] # not a terminal: no colour
	run "$SCLENS" explain --color=always -f docker-20.10 -s clock_settime
	[[ "$output" == *$'\e[1;32mfix:'* ]]
	run env NO_COLOR=1 "$SCLENS" explain -f docker-20.10 -s clock_settime
	[[ "$output" != *$'\e['* ]]
	run "$SCLENS" filter eval $$ -s clock_setime
	[[ "$output" == *"did you mean clock_settime?"* ]]
	need_root
	run "$SCLENS" filter dump $$
	[[ "$output" == *"has no seccomp filter"* ]]
	[[ "$output" != *"needs root"* ]]
	run "$SCLENS" watch -c nosuchcomm -d 1
	[[ "$output" == *"note: no seccomp denial was seen"*"a missing capability"* ]]
	if command -v capsh >/dev/null; then
		# replay reads the kernel's copies of the filters: no ptrace,
		# so no CAP_SYS_ADMIN is needed for it any more
		run capsh --drop=cap_sys_admin -- -c "'$SCLENS' watch -d 1"
		[ "$status" -eq 0 ]
		[[ "$output" != *"not replayed"* ]]
	fi
}

@test "profile list and show: the defaults sclens knows, by id; watch takes -f like explain and run" {
	run "$SCLENS" profile list
	[ "$status" -eq 0 ]
	for id in docker-20.10 docker-23.0 docker-25.0 docker-26.0 docker-28.2 docker-29; do
		[[ "$output" == *"$id"* ]] || { echo "no $id"; false; }
	done
	cmp <("$SCLENS" profile show docker-20.10) "$ROOT/profiles/docker/docker-v20.10.24.json"
	run "$SCLENS" profile show nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"sclens profile list names them"* ]]
	run "$SCLENS" explain -f nosuch-profile -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"no built-in profile of that name"* ]]
	need_root
	start_watch --json -c scdeny -f docker-20.10
	"$SCDENY" errno >/dev/null 2>&1 || true
	stop_watch
	denials 'select(.syscall == "clock_settime")' | jq -se '.[0].explanation.profile == "Docker 20.10 default"'
}

@test "sclens help COMMAND, -V, and a misspelt command or profile subcommand get the help a user expects" {
	run "$SCLENS" help watch
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage: sclens watch"* ]]
	run "$SCLENS" -V
	[ "$status" -eq 0 ]
	[[ "$output" == "sclens "[0-9]* ]]
	run "$SCLENS" wacth
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'wacth' (did you mean 'watch'?)"* ]]
	run "$SCLENS" profile lsit
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown subcommand 'lsit' (did you mean 'list'?)"* ]]
	run "$SCLENS" profile list -h
	[ "$status" -eq 0 ]
	[[ "$output" == "Usage: sclens profile list"* ]]
	run "$SCLENS" profile show --help
	[ "$status" -eq 0 ]
	[[ "$output" == "Usage: sclens profile show ID"* ]]
	run "$SCLENS" profile show
	[ "$status" -eq 2 ]
	[[ "$output" == *"profile show: takes one ID"* ]]
}

@test "profile IDs as users say Docker's versions: docker, docker-27, docker-24.0.7 name the default that version runs" {
	cmp <("$SCLENS" profile show docker) <("$SCLENS" profile show docker-29)
	cmp <("$SCLENS" profile show docker-27) "$ROOT/profiles/docker/docker-v26.0-v28.1.json"
	cmp <("$SCLENS" profile show docker-24.0.7) "$ROOT/profiles/docker/docker-v23.0-v24.0.json"
	run "$SCLENS" explain -f docker-27 -s clock_settime
	[ "$status" -eq 0 ]
	[[ "$output" == *"Docker 26.0-28.1 default"* ]]
	run "$SCLENS" explain -f docker-19.03 -s clock_settime
	[ "$status" -eq 4 ]
	[[ "$output" == *"the oldest is docker-20.10"* ]]
}

@test "a misspelt capability: did you mean" {
	run "$SCLENS" explain -f docker --cap-add SYS_TIMEE -s clock_settime
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown capability 'SYS_TIMEE' (did you mean SYS_TIME?)"* ]]
	run "$SCLENS" run -f docker --cap-drop cap_net_rwa -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"(did you mean NET_RAW?)"* ]]
}
