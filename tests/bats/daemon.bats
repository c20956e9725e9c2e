#!/usr/bin/env bats
# sclens daemon: a real Prometheus server scrapes it, its log rotates into
# gzip files with nothing lost, it survives SIGHUP and kill -9.
load helpers

setup() {
	need_root
	CONTAINERS=()
	DPORT=$((19400 + RANDOM % 500))
}

teardown() {
	[ -n "${DAEMON_PID:-}" ] && kill -TERM "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null || true
	[ -n "${PROM_PID:-}" ] && kill -TERM "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null || true
	teardown_containers
	# cgroups the record tests made by hand, and their sleepers
	[ -n "${pids:-}" ] && kill "${pids[@]}" 2>/dev/null || true
	local cg2 d
	cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	for d in "$cg2"/sclens-churn-$$-* "$cg2/sclens-late-$$"; do
		[ -d "$d" ] && { sleep 0.2; rmdir "$d" 2>/dev/null || true; }
	done
	true
}

# start_daemon ARGS...: sclens daemon in the background on $DPORT, waits
# until it watches; its stdout/stderr in $D_OUT/$D_ERR
start_daemon() {
	D_OUT=$BATS_TEST_TMPDIR/daemon.out
	D_ERR=$BATS_TEST_TMPDIR/daemon.err
	"$SCLENS" daemon --metrics-addr "127.0.0.1:$DPORT" "$@" >"$D_OUT" 2>"$D_ERR" &
	DAEMON_PID=$!
	for _ in $(seq 100); do
		grep -q watching "$D_ERR" 2>/dev/null && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$D_ERR" >&2
	return 1
}

stop_daemon() {
	sleep 1.2 # a tick: repeat and lost lines are written once a second
	kill -TERM "$DAEMON_PID"
	D_RC=0
	wait "$DAEMON_PID" || D_RC=$?
	DAEMON_PID=
}

metric() { # NAME{LABELS} as the page prints it, or 0
	curl -sf "http://127.0.0.1:$DPORT/metrics" | awk -v k="$1" 'index($0, k) == 1 { print $NF; f = 1 } END { if (!f) print 0 }'
}

@test "a real Prometheus scrapes exact counts per container and call from two runc containers" {
	command -v prometheus >/dev/null || skip "prometheus is not installed"
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$ROOT/build/tests/rootfs/bin/busybox" ] || skip "no busybox rootfs"
	cat >"$BATS_TEST_TMPDIR/deny.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
  "syscalls": [ { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 },
                { "names": ["getpgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ] }
JSON
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json"
	ppport=$((DPORT + 600))
	cat >"$BATS_TEST_TMPDIR/prom.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: sclens
    static_configs: [ { targets: ["127.0.0.1:$DPORT"] } ]
YAML
	prometheus --config.file="$BATS_TEST_TMPDIR/prom.yml" --storage.tsdb.path="$BATS_TEST_TMPDIR/tsdb" \
		--web.listen-address="127.0.0.1:$ppport" >"$BATS_TEST_TMPDIR/prom.log" 2>&1 &
	PROM_PID=$!
	# /bin/calls N M: exactly N getppid and M getpgid (tests/helpers32/calls.c)
	a=sclens-d-$$-a
	b=sclens-d-$$-b
	CONTAINERS+=("$a" "$b")
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/deny.json" "$DOCKER_DEFAULT_CAPS" \
		/bin/calls 7 3
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/deny.json" "$DOCKER_DEFAULT_CAPS" \
		/bin/calls 11 0
	run_container "$BATS_TEST_TMPDIR/a" "$a"
	run_container "$BATS_TEST_TMPDIR/b" "$b"
	want() { # CONTAINER SYSCALL
		echo "sum(sclens_denials_total{container_id=\"$1\",syscall=\"$2\"})"
	}
	q() {
		curl -sfG "http://127.0.0.1:$ppport/api/v1/query" --data-urlencode "query=$1" |
			jq -r '.data.result[0].value[1] // "none"'
	}
	got=
	for _ in $(seq 60); do
		got="$(q "$(want "$a" getppid)") $(q "$(want "$a" getpgid)") $(q "$(want "$b" getppid)") $(q "$(want "$b" getpgid)")"
		[ "$got" = "7 3 11 none" ] && break
		sleep 0.5
	done
	echo "prometheus says: $got" >&3
	if [ "$got" != "7 3 11 none" ]; then
		curl -sf "http://127.0.0.1:$DPORT/metrics" | grep "^sclens_denials" >&3 || true
		tail -5 "$BATS_TEST_TMPDIR/prom.log" >&3
		false
	fi
	# the labels say what the container is, and the errno
	[ "$(q "sum(sclens_denials_total{container_id=\"$a\",runtime=\"runc\",syscall=\"getpgid\",errno=\"EACCES\",action=\"errno\"})")" = 3 ]
	# and the exposition passes Prometheus's own linter
	curl -sf "http://127.0.0.1:$DPORT/metrics" >"$BATS_TEST_TMPDIR/page"
	run promtool check metrics <"$BATS_TEST_TMPDIR/page"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^sclens_build_info{version="[0-9.]*",kernel="[^"]*",method="one_hook"} 1$' "$BATS_TEST_TMPDIR/page" ||
		grep -qE '^sclens_build_info{.*method="(two_hooks|fexit)"} 1$' "$BATS_TEST_TMPDIR/page"
	grep -q '^process_resident_memory_bytes [0-9]' "$BATS_TEST_TMPDIR/page"
	stop_daemon
	[ "$D_RC" -eq 0 ]
}

@test "the Grafana dashboard: every panel's query returns series from a real daemon scraped by a real Prometheus" {
	command -v prometheus >/dev/null || skip "prometheus is not installed"
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$ROOT/build/tests/rootfs/bin/busybox" ] || skip "no busybox rootfs"
	dash=$ROOT/deploy/grafana/sclens-dashboard.json
	# every panel reads the chosen Prometheus and has a query
	jq -e '[.panels[] | .datasource.uid == "${datasource}" and (.targets | length > 0) and all(.targets[]; .expr | length > 0)] | all' "$dash"
	cat >"$BATS_TEST_TMPDIR/deny.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
  "syscalls": [ { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json"
	ppport=$((DPORT + 600))
	printf 'global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: sclens\n    static_configs: [ { targets: ["127.0.0.1:%s"] } ]\n' "$DPORT" >"$BATS_TEST_TMPDIR/prom.yml"
	prometheus --config.file="$BATS_TEST_TMPDIR/prom.yml" --storage.tsdb.path="$BATS_TEST_TMPDIR/tsdb" \
		--web.listen-address="127.0.0.1:$ppport" >"$BATS_TEST_TMPDIR/prom.log" 2>&1 &
	PROM_PID=$!
	# denials while Prometheus scrapes, so that rates have something to say
	for _ in $(seq 60); do
		curl -sfG "http://127.0.0.1:$ppport/api/v1/query" --data-urlencode 'query=up{job="sclens"} == 1' |
			jq -e '.data.result | length == 1' >/dev/null 2>&1 && break
		sleep 0.5
	done
	a=sclens-g-$$
	CONTAINERS+=("$a")
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/deny.json" "$DOCKER_DEFAULT_CAPS" sh -c '/bin/calls 5 0; sleep 3; /bin/calls 5 0'
	run_container "$BATS_TEST_TMPDIR/a" "$a"
	# the dashboard's variables as Grafana fills them with "All", over a short range
	jq -r '.panels[] | .title as $t | .targets[] | "\($t)\t\(.expr)"' "$dash" |
		sed -e 's/\$__rate_interval/1m/g; s/\$__range/5m/g; s/\$instance/.*/g; s/\$container/.*/g' >"$BATS_TEST_TMPDIR/queries"
	empty=
	for _ in $(seq 40); do
		empty=
		while IFS=$'\t' read -r title expr; do
			n=$(curl -sfG "http://127.0.0.1:$ppport/api/v1/query" --data-urlencode "query=$expr" | jq '.data.result | length' 2>/dev/null || echo 0)
			[ "${n:-0}" -gt 0 ] || empty="$empty [$title] $expr;"
		done <"$BATS_TEST_TMPDIR/queries"
		[ -z "$empty" ] && break
		sleep 0.5
	done
	echo "queries with no series: ${empty:-none}"
	[ -z "$empty" ] || curl -sf "http://127.0.0.1:$DPORT/metrics" | grep "^sclens_denials_total"
	[ -z "$empty" ]
	# and the container is in them, by its id
	curl -sfG "http://127.0.0.1:$ppport/api/v1/query" --data-urlencode \
		"query=$(sed -n 's/^Top denied calls\t//p' "$BATS_TEST_TMPDIR/queries")" |
		jq -e --arg a "$a" '[.data.result[] | select(.metric.container_id == $a and .metric.syscall == "getppid")] | length == 1'
	stop_daemon
}

@test "a storm of 1,000,000 denials: the metric is exact, the log holds the first N and repeat lines that add up, losses are said" {
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json" --log-first 5 --log-interval 2s --buffer-mb 1
	run "$SCDENY" loop_denied 1000000
	[ "$status" -eq 0 ]
	pid=$(echo "$output" | sed -n 's/^call=loop_denied pid=\([0-9]*\).*/\1/p')
	sleep 0.5
	[ "$(metric 'sclens_denials_total{node="'"$(uname -n)"'",runtime="",container="",container_id="",image="",pod="",namespace="",syscall="getppid",arch="x86_64",action="errno",errno="EPERM"}')" = 1000000 ]
	lost=$(metric sclens_events_lost_total)
	sleep 2.5 # the interval ends: its repeat line
	stop_daemon
	[ "$D_RC" -eq 0 ]
	log=$BATS_TEST_TMPDIR/d.json
	written=$(jq -c "select(.type == \"denial\" and .pid == $pid)" "$log" | wc -l)
	repeated=$(jq -s '[.[] | select(.type == "repeat" and .syscall == "getppid") | .count] | add // 0' "$log")
	lost_lines=$(jq -s '[.[] | select(.type == "lost") | .count] | add // 0' "$log")
	suppressed=$(jq -s '[.[] | select(.type == "suppressed") | .count] | add // 0' "$log")
	echo "written $written, repeated $repeated, lost (metric) $lost, lost (log) $lost_lines, suppressed $suppressed" >&3
	# the first 5 of each interval are written; the rest summed
	[ "$written" -ge 5 ]
	[ "$(jq -s '[.[] | select(.type == "repeat") | .written] | max' "$log")" -eq 5 ]
	# every denial is a line or in its key's repeat count: those the log
	# did not write, and those the kernel never sent (over its cgroup's
	# event rate, or lost), from the kernel's own counts; the suppressed
	# and lost lines say the same events again, for all keys at once
	[ "$suppressed" -gt 0 ]
	[ "$suppressed" -eq "$(jq -s '[.[] | select(.type == "suppressed")] | last | .events_suppressed_total' "$log")" ]
	[ $((written + repeated)) -eq 1000000 ]
	# what the log says was lost is what the metric says
	[ "$lost_lines" -eq "$(jq -s '[.[] | select(.type == "lost")] | last | .events_lost_total // 0' "$log")" ]
	[ "$lost_lines" -ge "$lost" ]
	# every line is valid JSON of the documented schema
	/usr/bin/python3 "$ROOT/scripts/check-json.py" "$ROOT/docs/json-schema.json" "$log"
}

# Rotating renames the log: a device (a log sent to /dev/null, or a FIFO
# to a collector) would have been moved aside and replaced by a file
@test "rotation: a log that is a device is written on past --log-max-mb, never renamed, replaced or compressed" {
	dev=$BATS_TEST_TMPDIR/null
	mknod "$dev" c 1 3
	start_daemon --log-file "$dev" --log-first 0 --log-max-mb 1 --log-keep 2 --rate-limit 0
	"$SCDENY" loop_denied 4000 >/dev/null
	stop_daemon
	[ "$D_RC" -eq 0 ]
	[ -c "$dev" ]
	[ "$(ls "$BATS_TEST_TMPDIR" | grep -c '^null')" -eq 1 ]
	! grep -q 'rotating\|failed' "$D_ERR"
	# the 4,000 denials were reported (to the device), none lost
	[ "$(jq -r 'select(.type == "summary") | .denials_reported + .events_lost + .events_suppressed' "$D_OUT")" -eq 4000 ]
}

@test "rotation: every rotated file is gzip, and together they hold every line once; SIGHUP while writing" {
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json" --log-first 0 --log-max-mb 1 --log-keep 50 --buffer-mb 64 --rate-limit 0
	"$SCDENY" loop_denied 4000 >/dev/null &
	w1=$!
	sleep 0.2
	kill -HUP "$DAEMON_PID"
	wait "$w1"
	"$SCDENY" loop_denied 4000 >/dev/null
	stop_daemon
	[ "$D_RC" -eq 0 ]
	grep -q 'SIGHUP: output reopened' "$D_ERR"
	ls "$BATS_TEST_TMPDIR"/d.json.*.gz >/dev/null
	[ "$(ls "$BATS_TEST_TMPDIR"/d.json.*.gz | wc -l)" -ge 2 ]
	for f in "$BATS_TEST_TMPDIR"/d.json.*.gz; do gzip -t "$f"; done
	! ls "$BATS_TEST_TMPDIR"/d.json.*[0-9] 2>/dev/null # nothing left uncompressed
	all=$BATS_TEST_TMPDIR/all
	{ for f in $(ls "$BATS_TEST_TMPDIR"/d.json.*.gz | sort -t. -k3 -n -r); do zcat "$f"; done
	  cat "$BATS_TEST_TMPDIR/d.json"; } >"$all"
	# whole lines only, each valid JSON
	[ "$(jq -c . "$all" | wc -l)" -eq "$(wc -l <"$all")" ]
	denials=$(jq -c 'select(.type == "denial")' "$all" | wc -l)
	uniq=$(jq -r 'select(.type == "denial") | "\(.tid) \(.ts_ns)"' "$all" | sort -u | wc -l)
	reported=$(jq -r 'select(.type == "summary") | .denials_reported' "$D_OUT")
	lost=$(jq -r 'select(.type == "summary") | .events_lost' "$D_OUT")
	suppressed=$(jq -r 'select(.type == "summary") | .events_suppressed' "$D_OUT")
	echo "lines $denials, unique $uniq, reported $reported, lost $lost, suppressed $suppressed" >&3
	[ "$denials" -eq "$uniq" ]
	[ "$denials" -eq "$reported" ]
	[ $((denials + lost + suppressed)) -eq 8000 ]
}

@test "kill -9 loses nothing written, and a restart appends whole lines" {
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json" --log-first 0
	"$SCDENY" loop_denied 300 >/dev/null
	sleep 0.5
	kill -KILL "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null || true
	DAEMON_PID=
	first=$(jq -c 'select(.type == "denial")' "$BATS_TEST_TMPDIR/d.json" | wc -l)
	[ "$first" -eq 300 ]
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json" --log-first 0
	"$SCDENY" loop_denied 200 >/dev/null
	stop_daemon
	[ "$(jq -c 'select(.type == "denial")' "$BATS_TEST_TMPDIR/d.json" | wc -l)" -eq 500 ]
	[ "$(jq -c . "$BATS_TEST_TMPDIR/d.json" | wc -l)" -eq "$(wc -l <"$BATS_TEST_TMPDIR/d.json")" ]
}

# gone_container NAME DAEMON_ARGS...: the daemon started; a runc container
# NAME denied getppid twice, then deleted: its series outlive it
gone_container() {
	local a=$1
	shift
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$ROOT/build/tests/rootfs/bin/busybox" ] || skip "no busybox rootfs"
	cat >"$BATS_TEST_TMPDIR/deny.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
  "syscalls": [ { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
	start_daemon "$@"
	CONTAINERS+=("$a")
	# it lives a moment after its denials, so that it is named (a cgroup
	# gone before sclens looks is named by nothing), then goes
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/deny.json" "$DOCKER_DEFAULT_CAPS" sh -c "/bin/calls 2 0; sleep 0.5"
	run_container "$BATS_TEST_TMPDIR/a" "$a"
	runc delete -f "$a" 2>/dev/null || true
	sleep 1
}

@test "series of a cgroup gone past --metrics-retention are dropped, and its cache entries" {
	a=sclens-r-$$
	gone_container "$a" --metrics-retention 3s
	curl -sf "http://127.0.0.1:$DPORT/metrics" | grep sclens_denials_total >&3 || true
	curl -sf "http://127.0.0.1:$DPORT/metrics" | grep -q "container_id=\"$a\""
	# gone: kept for 3 s, checked every 5 s
	for _ in $(seq 30); do
		curl -sf "http://127.0.0.1:$DPORT/metrics" | grep -q "container_id=\"$a\"" || break
		sleep 1
	done
	! curl -sf "http://127.0.0.1:$DPORT/metrics" | grep -q "container_id=\"$a\""
	stop_daemon
}

@test "SIGHUP keeps the names of gone containers whose series are still served: a logrotate relabels nothing" {
	a=sclens-hup-$$
	gone_container "$a" --metrics-retention 1h
	before=$(curl -sf "http://127.0.0.1:$DPORT/metrics" | grep "^sclens_denials_total.*container_id=\"$a\"")
	[ -n "$before" ]
	kill -HUP "$DAEMON_PID"
	sleep 1.5
	grep -q 'SIGHUP: output reopened' "$D_ERR"
	after=$(curl -sf "http://127.0.0.1:$DPORT/metrics" | grep "^sclens_denials_total.*$a" || true)
	echo "before: $before" >&3
	echo "after:  $after" >&3
	[ "$after" = "$before" ]
	stop_daemon
}

@test "clients trickling header bytes cannot lock the endpoint out: a scrape from another address answers" {
	start_daemon
	# 24 connections from one address, each sending a byte a second (each
	# byte resets the idle timeout): once they held every connection
	python3 - "$DPORT" <<'PY' &
import socket, sys, time
socks = []
for _ in range(24):
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
        s.sendall(b"GET /metrics HTTP/1.1\r\n")
        socks.append(s)
    except OSError:
        pass
for _ in range(12):
    for s in socks:
        try:
            s.sendall(b"X")
        except OSError:
            pass
    time.sleep(1)
PY
	trickler=$!
	sleep 2
	# Prometheus scrapes from its own address
	run curl -sf --max-time 5 --interface 127.0.0.2 "http://127.0.0.1:$DPORT/metrics"
	kill "$trickler" 2>/dev/null || true
	wait "$trickler" 2>/dev/null || true
	[ "$status" -eq 0 ]
	[[ "$output" == *sclens_denials_seen_total* ]]
	stop_daemon
}

@test "a request has a deadline: a client trickling a byte a second is cut off, counted, and the next scrape answers" {
	start_daemon
	# each byte resets the idle timeout; the whole request may not last
	# more than 15 s: the server must close it before the client is done
	run timeout 60 python3 - "$DPORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET /metrics HTTP/1.1\r\n")
start = time.monotonic()
for _ in range(40):
    time.sleep(1)
    try:
        s.sendall(b"X")
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                break
        except BlockingIOError:
            pass
        s.setblocking(True)
    except OSError:
        break
else:
    print("still open after 40 s")
    sys.exit(1)
print("closed after %d s" % (time.monotonic() - start))
PY
	echo "$output"
	[ "$status" -eq 0 ]
	run curl -sf --max-time 5 "http://127.0.0.1:$DPORT/metrics"
	[ "$status" -eq 0 ]
	[[ "$output" == *"sclens_metrics_requests_cut_total 1"* ]]
	stop_daemon
}

@test "--metrics-addr: :PORT is every address and says so, a host name is resolved" {
	run timeout 20 "$SCLENS" daemon --metrics-addr ":$DPORT" -d 1 --log-file "$BATS_TEST_TMPDIR/l.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"metrics at http://0.0.0.0:$DPORT/metrics (every address of this host)"* ]]
	run timeout 20 "$SCLENS" daemon --metrics-addr "localhost:$DPORT" -d 1 --log-file "$BATS_TEST_TMPDIR/l.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"metrics at http://127.0.0.1:$DPORT/metrics"* || "$output" == *"metrics at http://[::1]:$DPORT/metrics"* ]]
	run "$SCLENS" daemon --metrics-addr "no-such-host.invalid:$DPORT"
	[ "$status" -eq 2 ]
}

@test "--web.config.file: a real Prometheus scrapes over TLS with a password; no password, a wrong one or plain HTTP get nothing" {
	command -v prometheus >/dev/null || skip "prometheus is not installed"
	command -v openssl >/dev/null || skip "openssl is not installed"
	w=$BATS_TEST_TMPDIR/web
	mkdir "$w"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$w/server.key" -out "$w/server.crt" -days 2 \
		-subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
	hash=$(python3 -W ignore -c "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))")
	# the exporters' format; paths relative to the file's folder
	printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prom: %s\n' "$hash" >"$w/web.yml"
	start_daemon --web.config.file "$w/web.yml"
	grep -q "metrics at https://127.0.0.1:$DPORT/metrics" "$D_ERR"
	[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$w/server.crt" "https://127.0.0.1:$DPORT/metrics")" = 401 ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$w/server.crt" -u prom:wrong "https://127.0.0.1:$DPORT/metrics")" = 401 ]
	! curl -sf --max-time 3 "http://127.0.0.1:$DPORT/metrics"
	curl -sf --cacert "$w/server.crt" -u prom:s3cret "https://127.0.0.1:$DPORT/metrics" | grep -q '^sclens_denials_seen_total'
	ppport=$((DPORT + 600))
	cat >"$BATS_TEST_TMPDIR/prom.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: sclens
    scheme: https
    tls_config: { ca_file: $w/server.crt }
    basic_auth: { username: prom, password: s3cret }
    static_configs: [ { targets: ["127.0.0.1:$DPORT"] } ]
YAML
	prometheus --config.file="$BATS_TEST_TMPDIR/prom.yml" --storage.tsdb.path="$BATS_TEST_TMPDIR/tsdb" \
		--web.listen-address="127.0.0.1:$ppport" >"$BATS_TEST_TMPDIR/prom.log" 2>&1 &
	PROM_PID=$!
	up=none
	for _ in $(seq 60); do
		up=$(curl -sfG "http://127.0.0.1:$ppport/api/v1/query" --data-urlencode 'query=up{job="sclens"}' |
			jq -r '.data.result[0].value[1] // "none"')
		[ "$up" = 1 ] && break
		sleep 0.5
	done
	echo "up: $up" >&3
	[ "$up" = 1 ]
	# and a file with what sclens does not do is refused, never half-read
	printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n' >"$w/mtls.yml"
	run "$SCLENS" daemon --web.config.file "$w/mtls.yml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"client_auth_type is not supported by sclens"* ]]
	stop_daemon
}

@test "once started, the daemon keeps only the capabilities it uses, and no new privileges" {
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json"
	eff=$(awk '/^CapEff:/ { print $2 }' "/proc/$DAEMON_PID/status")
	bnd=$(awk '/^CapBnd:/ { print $2 }' "/proc/$DAEMON_PID/status")
	echo "CapEff $eff CapBnd $bnd" >&3
	# BPF, PERFMON, DAC_READ_SEARCH, SYS_PTRACE, SYS_RESOURCE at most
	[ $(( 0x$eff & ~0xc001080004 )) -eq 0 ]
	[ $(( 0x$bnd & ~0xc001080004 )) -eq 0 ]
	[ "$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$DAEMON_PID/status")" = 1 ]
	grep -q "capabilities dropped" "$D_ERR"
	# and it still does its work: a denial counted, logged, scraped
	"$SCDENY" errno >/dev/null
	sleep 0.5
	curl -sf "http://127.0.0.1:$DPORT/metrics" | grep -q 'syscall="getuid",arch="[a-z0-9_]*",action="errno",errno="EACCES"'
	stop_daemon
	[ "$D_RC" -eq 0 ]
	jq -se 'any(.[]; .type == "denial" and .syscall == "getuid")' "$BATS_TEST_TMPDIR/d.json"
}

@test "daemon: bad options and a taken port are clear errors" {
	run "$SCLENS" daemon --metrics-addr nowhere
	[ "$status" -eq 2 ]
	[[ "$output" == *"--metrics-addr wants HOST:PORT"* ]]
	run "$SCLENS" daemon --log-keep -1
	[ "$status" -eq 2 ]
	nc_port=$DPORT
	python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $nc_port)); s.listen(); time.sleep(5)" &
	holder=$!
	sleep 0.5
	run timeout 20 "$SCLENS" daemon --metrics-addr "127.0.0.1:$nc_port" -d 2
	kill "$holder" 2>/dev/null || true
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot serve metrics at 127.0.0.1:$nc_port"*"another process listens there"* ]]
	run "$SCLENS" daemon --log-file /proc/nope/log -d 1
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot open the log /proc/nope/log"* ]]
}

@test "daemon --record: the recorder as a sink of the daemon, a snapshot on SIGHUP and the whole at exit" {
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$ROOT/build/tests/rootfs/bin/busybox" ] || skip "no busybox rootfs"
	cat >"$BATS_TEST_TMPDIR/allow.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
  "syscalls": [ { "names": ["kexec_load"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
	a=sclens-rec-$$
	CONTAINERS+=("$a")
	start_daemon --container "$a" --record "$BATS_TEST_TMPDIR/d.rec.json" --log-file "$BATS_TEST_TMPDIR/d.json"
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/allow.json" "$DOCKER_DEFAULT_CAPS" sh -c '/bin/calls 42 5; sleep 2'
	run_container "$BATS_TEST_TMPDIR/a" "$a"
	kill -HUP "$DAEMON_PID"
	for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/d.rec.json" ] && break; sleep 0.1; done
	jq -e '.kind == "sclens-recording"' "$BATS_TEST_TMPDIR/d.rec.json"
	stop_daemon
	[ "$D_RC" -eq 0 ]
	rec=$BATS_TEST_TMPDIR/d.rec.json
	jq -c '.recorded[] | [.container, .from_start, (.calls|length)]' "$rec"
		jq -e --arg a "$a" '.recorded | length == 1 and .[0].container.id == $a and .[0].from_start' "$rec"
	[ "$(jq '[.recorded[0].calls[] | select(.syscall == "getpgid" and .filtered) | .count] | add' "$rec")" -eq 5 ]
	[ "$(jq '[.recorded[0].calls[] | select(.syscall == "getppid" and .filtered) | .count] | add' "$rec")" -ge 42 ]
}

@test "record: a cgroup its runtime names only seconds after its first calls is recorded from its start" {
	# as runc does: the container's first process runs in its cgroup before
	# state.json names it; a fake runc root plays that slowly
	roots=$BATS_TEST_TMPDIR/runc
	id=sclens-late-$$
	cg=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)/$id
	mkdir -p "$roots"
	"$SCLENS" record --runc-root "$roots" --container "$id" -d 7 -o "$BATS_TEST_TMPDIR/late.json" 2>"$BATS_TEST_TMPDIR/late.err" &
	rec=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/late.err" && break; sleep 0.1; done
	mkdir "$cg"
	sh -c 'echo $$ >"$1/cgroup.procs"; "$2" 7 0; sleep 3; "$2" 5 0' sh "$cg" "$ROOT/build/tests/calls" &
	worker=$!
	sleep 2.5 # two ticks of the recorder with the cgroup unnamed
	mkdir "$roots/$id"
	printf '{"id": "%s", "cgroup_paths": {"": "%s"}}\n' "$id" "$cg" >"$roots/$id/state.json"
	wait "$worker"
	wait "$rec"
	rmdir "$cg"
	jq -c '.recorded[] | [.container, .from_start]' "$BATS_TEST_TMPDIR/late.json"
	jq -e --arg id "$id" '.recorded | length == 1 and .[0].container.id == $id and .[0].container.runtime == "runc" and .[0].from_start' "$BATS_TEST_TMPDIR/late.json"
	# both bursts: the calls made while it was unnamed are kept
	[ "$(jq '[.recorded[0].calls[] | select(.syscall == "getppid") | .count] | add' "$BATS_TEST_TMPDIR/late.json")" -ge 12 ]
}

@test "daemon --record: cgroups it did not record are forgotten, in the kernel too, once they are gone" {
	command -v bpftool >/dev/null || skip "bpftool is not installed"
	cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	start_daemon --container sclens-nothing-$$ --record "$BATS_TEST_TMPDIR/none.rec.json"
	ids=() pids=()
	for i in $(seq 20); do
		cg=$cg2/sclens-churn-$$-$i
		mkdir "$cg"
		ids+=("$(stat -c %i "$cg")")
		sh -c 'echo $$ >"$1/cgroup.procs"; exec sleep 30' sh "$cg" &
		pids+=($!)
	done
	decided() { # how many of the churned cgroups the kernel map still holds
		bpftool -j map dump name record_cgroups | jq --argjson ids "[$(IFS=,; echo "${ids[*]}")]" \
			'[.[] | .formatted.key as $k | select($ids | index($k))] | length'
	}
	sleep 7 # past the 5 s the unnamed wait: each is decided (not recorded)
	before=$(decided) # alive: kept through any pruning
	kill "${pids[@]}"
	wait "${pids[@]}" 2>/dev/null || true
	for i in $(seq 20); do rmdir "$cg2/sclens-churn-$$-$i"; done
	sleep 11 # a pruning, every 10 s
	after=$(decided)
	echo "decisions for the 20 cgroups: $before, then $after" >&3
	[ "$before" -eq 20 ]
	[ "$after" -eq 0 ]
	stop_daemon
	[ "$D_RC" -eq 0 ]
	jq -e '.recorded == []' "$BATS_TEST_TMPDIR/none.rec.json"
}

@test "a rotation a crash interrupted is finished at the next start; SCLENS_NODE_NAME names the node" {
	log=$BATS_TEST_TMPDIR/d.json
	# as a kill -9 between renaming the log and compressing it leaves it
	echo '{"type":"lost","time":"2026-01-01T00:00:00.000000000Z","node":"n","count":1,"events_lost_total":1}' >"$log.1"
	echo 'older' | gzip >"$log.1.gz"
	SCLENS_NODE_NAME=node-a start_daemon --log-file "$log" --log-first 0 --log-keep 3
	[ ! -e "$log.1" ]
	[ "$(zcat "$log.1.gz" | jq -r .type)" = lost ]
	[ "$(zcat "$log.2.gz")" = older ]
	"$SCDENY" errno >/dev/null
	sleep 0.5
	curl -sf "http://127.0.0.1:$DPORT/metrics" | grep -q '^sclens_denials_total{node="node-a",'
	stop_daemon
	jq -e 'select(.type == "denial") | .node == "node-a"' "$log" >/dev/null
}

@test "a tenant's cgroup named with bytes that are not UTF-8: the page stays valid for Prometheus" {
	command -v promtool >/dev/null || skip "promtool (prometheus) is not installed"
	cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	# where systemd-machined makes machines' cgroups (a name only counts there)
	[ -d "$cg2/machine.slice" ] || { mkdir "$cg2/machine.slice"; made_slice=1; }
	cg=$cg2/machine.slice/$(printf 'machine-sclens\xff\xfe%s.scope' $$)
	mkdir "$cg"
	start_daemon
	# a process of that cgroup denied one call (getuid, EACCES)
	sh -c 'echo $$ >"$1/cgroup.procs"; exec "$2" forge_sigsys' sh "$cg" "$SCDENY" >/dev/null
	sleep 0.5
	curl -sf "http://127.0.0.1:$DPORT/metrics" >"$BATS_TEST_TMPDIR/page"
	stop_daemon
	rmdir "$cg"
	[ -z "${made_slice:-}" ] || rmdir "$cg2/machine.slice"
	run promtool check metrics <"$BATS_TEST_TMPDIR/page"
	echo "$output"
	[ "$status" -eq 0 ]
	# the series is there, its invalid bytes each a U+FFFD
	grep -a "^sclens_denials_total{.*container=\"sclens$(printf '\xef\xbf\xbd\xef\xbf\xbd')$$\".*syscall=\"getuid\".*} 1$" "$BATS_TEST_TMPDIR/page"
}

@test "the log under faults: deleted without a SIGHUP (a new file), a full disk (whole lines only), a symlink (refused)" {
	# deleted: the next tick writes a new file under the name
	start_daemon --log-file "$BATS_TEST_TMPDIR/d.json" --log-first 0
	"$SCDENY" loop_denied 10 >/dev/null
	sleep 0.5
	rm "$BATS_TEST_TMPDIR/d.json"
	sleep 2.5
	"$SCDENY" loop_denied 20 >/dev/null
	stop_daemon
	cat "$D_ERR"
	grep -q "d.json was deleted or moved away; writing a new one" "$D_ERR"
	[ "$(jq -c 'select(.type == "denial")' "$BATS_TEST_TMPDIR/d.json" | wc -l)" -eq 20 ]
	# a full disk: the partial line is cut, later lines are whole
	mkdir "$BATS_TEST_TMPDIR/small"
	mount -t tmpfs -o size=48k tmpfs "$BATS_TEST_TMPDIR/small"
	dd if=/dev/zero of="$BATS_TEST_TMPDIR/small/filler" bs=1k count=16 2>/dev/null
	start_daemon --log-file "$BATS_TEST_TMPDIR/small/d.json" --log-first 0
	"$SCDENY" loop_denied 300 >/dev/null
	sleep 0.5
	# space back: the lines dropped meanwhile are said, then lines go on
	rm "$BATS_TEST_TMPDIR/small/filler"
	"$SCDENY" loop_denied 3 >/dev/null
	stop_daemon
	cp "$BATS_TEST_TMPDIR/small/d.json" "$BATS_TEST_TMPDIR/full.json"
	umount "$BATS_TEST_TMPDIR/small"
	[ "$D_RC" -eq 1 ]
	grep -q "No space left on device; the line is dropped, the file keeps whole lines" "$D_ERR"
	[ -s "$BATS_TEST_TMPDIR/full.json" ]
	[ "$(jq -c . "$BATS_TEST_TMPDIR/full.json" | wc -l)" -eq "$(wc -l <"$BATS_TEST_TMPDIR/full.json")" ]
	[ "$(tail -c 1 "$BATS_TEST_TMPDIR/full.json" | od -An -c | tr -d ' ')" = '\n' ]
	jq -c 'select(.type == "dropped")' "$BATS_TEST_TMPDIR/full.json" >&3
	# said once room is back (a line short enough to fit earlier may say a
	# first part): every drop counted, for the full disk
	jq -se '[.[] | select(.type == "dropped")] | length >= 1 and (map(.count) | add) > 0 and all(.reason == "No space left on device")' "$BATS_TEST_TMPDIR/full.json"
	# after it, the 3 denials made once there was room
	[ "$(jq -c .type "$BATS_TEST_TMPDIR/full.json" | awk '/"dropped"/ { d = 1; next } d && /"denial"/ { n++ } END { print n + 0 }')" -ge 3 ]
	grep -q "takes lines again" "$D_ERR"
	# a symlink where the log goes: refused, its target untouched
	ln -s "$BATS_TEST_TMPDIR/target" "$BATS_TEST_TMPDIR/link.json"
	run "$SCLENS" daemon --metrics-addr "127.0.0.1:$DPORT" --log-file "$BATS_TEST_TMPDIR/link.json" -d 1
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"link.json"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/target" ]
}

@test "a fresh host: the log's own directory is made (0750), never its parents; a missing parent says so" {
	need_root
	run "$SCLENS" daemon --metrics-addr "127.0.0.1:$DPORT" --log-file "$BATS_TEST_TMPDIR/sclens/denials.json" -d 1
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"made the log's directory $BATS_TEST_TMPDIR/sclens"* ]]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/sclens")" = 750 ]
	[ -f "$BATS_TEST_TMPDIR/sclens/denials.json" ]
	run "$SCLENS" daemon --metrics-addr "127.0.0.1:$DPORT" --log-file "$BATS_TEST_TMPDIR/no/such/denials.json" -d 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"its directory's parent is missing too"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/no" ]
}

@test "daemon --record: a kill -9 right after a SIGHUP never leaves a torn recording (each snapshot is a new file renamed over the last)" {
	rec=$BATS_TEST_TMPDIR/k.rec.json
	for round in 1 2 3 4 5; do
		start_daemon --record "$rec" --log-file "$BATS_TEST_TMPDIR/k.json"
		"$SCDENY" flood 300 >/dev/null
		kill -HUP "$DAEMON_PID"
		# around when the snapshot is being written (the loop looks at
		# SIGHUP at least every 100 ms)
		sleep "$(awk -v r="$round" 'BEGIN { print r * 0.03 }')"
		kill -KILL "$DAEMON_PID"
		wait "$DAEMON_PID" 2>/dev/null || true
		DAEMON_PID=
		# the old snapshot or the new one, whole; never half of one
		[ ! -e "$rec" ] || jq -e '.kind == "sclens-recording"' "$rec" >/dev/null
	done
	# and a clean exit writes the whole recording over it
	start_daemon --record "$rec" --log-file "$BATS_TEST_TMPDIR/k.json"
	stop_daemon
	jq -e '.kind == "sclens-recording"' "$rec"
}

# The kill above lands at some moment of a write that takes little time:
# this one checks the mechanism itself, whatever the timing
@test "daemon --record: every snapshot goes to a new file renamed over the recording, which is never opened for writing (strace)" {
	command -v strace >/dev/null || skip "strace is not installed"
	rec=$BATS_TEST_TMPDIR/s.rec.json
	trace=$BATS_TEST_TMPDIR/trace
	# LeakSanitizer cannot run under ptrace (the sanitized run): leaks are
	# checked by every other test
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=open,openat,creat,truncate,rename,renameat,renameat2 -o "$trace" \
		"$SCLENS" daemon --metrics-addr "127.0.0.1:$DPORT" --record "$rec" --log-file "$BATS_TEST_TMPDIR/s.json" \
		>"$BATS_TEST_TMPDIR/s.out" 2>"$BATS_TEST_TMPDIR/s.err" &
	tracer=$!
	wait_until 30 grep -q watching "$BATS_TEST_TMPDIR/s.err"
	pid=$(pgrep -P "$tracer" | head -1)
	[ -n "$pid" ]
	"$SCDENY" flood 300 >/dev/null
	kill -HUP "$pid"
	wait_until 10 test -s "$rec"
	kill -HUP "$pid"
	sleep 0.5
	kill -TERM "$pid"
	wait "$tracer"
	jq -e '.kind == "sclens-recording"' "$rec"
	# two SIGHUPs and the exit: three renames onto it, from files of its own
	grep -F "\"$rec\")" "$trace" | grep -E 'rename(at2?)?\(' >"$BATS_TEST_TMPDIR/renames"
	cat "$BATS_TEST_TMPDIR/renames"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/renames")" -ge 3 ]
	! grep -vF "\"$rec.tmp." "$BATS_TEST_TMPDIR/renames"
	# and never opened itself (for writing or at all)
	! grep -E "(open|openat|creat|truncate)\(.*\"$rec\"" "$trace"
}
