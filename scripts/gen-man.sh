#!/bin/sh
# Generates sclens(8) from sclens's own --help texts (one source: the man
# page cannot drift from --help). Usage: gen-man.sh SCLENS OUT
set -eu
bin=$1
out=$2
version=$("$bin" --version | sed 's/^sclens //')
# the page's date is the source's (the last commit, else debian/changelog),
# so that two builds of one source make the same page
here=$(dirname "$0")/..
date=$(git -C "$here" log -1 --format=%cs 2>/dev/null ||
	sed -n 's/^ -- .*>  \(.*\)$/\1/p' "$here/debian/changelog" | head -1 | xargs -I{} date -u -d {} +%Y-%m-%d)
# the help, wrapped to fit 80 columns once man indents it by 7
export ARGP_HELP_FMT=rmargin=72
help() { "$bin" "$@" --help | fold -s -w 72; }
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
{
	echo ".TH SCLENS 8 \"$date\" \"sclens $version\" \"System Administration\""
	echo ".SH NAME"
	printf '%s\n' 'sclens \- find the seccomp rule that denied a call, and the fix'
	echo ".SH SYNOPSIS"
	echo ".B sclens"
	echo ".I COMMAND"
	printf '%s\n' '[\fIOPTIONS\fR]'
	echo ".SH DESCRIPTION"
	echo ".nf"
	help | esc
	echo ".fi"
	# every command sclens has (its own list), and the subcommands of
	# profile and filter that take options
	for c in $("$bin" __complete commands); do
		case $c in
		profile) subs="convert generate merge tighten diff" ;;
		filter) subs="dump eval" ;;
		*) subs=- ;;
		esac
		for s in $subs; do
			[ "$s" = - ] && s= || s=" $s"
			echo ".SH \"SCLENS $(echo "$c$s" | tr a-z A-Z)\""
			echo ".nf"
			# shellcheck disable=SC2086 # two-word commands split on purpose
			help $c$s | esc
			echo ".fi"
		done
	done
	echo ".SH EXIT STATUS"
	echo ".TP"; echo "0"; echo "Success."
	echo ".TP"; echo "1"; echo "A runtime failure: the kernel refused the programs, polling failed, an output could not be written."
	echo ".TP"; echo "2"; echo "Bad options or arguments (an unknown syscall name, a bad number, not a cgroup v2 directory)."
	echo ".TP"; echo "3"; printf '%s\n' "Missing privilege or kernel support: not root (or no CAP_BPF and CAP_PERFMON), no BTF, no seccomp, a kernel older than 5.17, a method this kernel refuses; for \\fBdaemon\\fR, a metrics address that is taken."
	echo ".TP"; echo "4"; echo "An input file is invalid (a profile that cannot be parsed)."
	echo ".TP"; echo "5"; printf '%s\n' "\\fBposture\\fR: a finding at or above \\fB\\-\\-fail\\-on\\fR."
	echo ".PP"
	printf '%s\n' "\\fBprofile diff\\fR exits as \\fBdiff\\fR(1) does: 0 the same, 1 they differ, 2 trouble. \\fBrun\\fR exits with the command's status."
	echo ".SH ENVIRONMENT"
	echo ".TP"; echo ".B SCLENS_METHOD"; printf '%s\n' "How the kernel side sees denials when \\fB\\-\\-method\\fR is not given: auto, fexit, one-hook or two-hooks."
	echo ".TP"; echo ".B SCLENS_NODE_NAME"; echo "The node's name in metrics, logs and recordings (a DaemonSet sets it from spec.nodeName); default: the host name."
	echo ".TP"; echo ".B NO_COLOR"; echo "No colour, whatever the terminal."
	echo ".TP"; echo ".B SCLENS_FILTER_COPIES=off"; echo "For tests: the kernel side copies no filter, as on a kernel without orig_prog."
	echo ".TP"; echo ".B SCLENS_TEST_MISSING_HELPERS"; echo "For tests: BPF helpers the start-up probe treats as missing."
	echo ".SH FILES"
	echo ".TP"
	echo ".I /usr/share/sclens/profiles"
	echo "Docker's default profiles and containerd's RuntimeDefault, as shipped with sclens (also compiled in), with their licence notice."
	echo ".TP"
	echo ".I /var/lib/kubelet/seccomp"
	printf '%s\n' "Where the kubelet keeps pods' Localhost profiles (\\fB\\-\\-kubelet\\-root\\fR)."
	echo ".SH SEE ALSO"
	echo ".BR docker-run (1),"
	echo ".BR podman-run (1),"
	echo ".BR seccomp (2),"
	echo ".BR strace (1)"
} > "$out"
