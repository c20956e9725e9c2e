#!/bin/sh
# Generates sclens(8) from sclens's own --help texts (one source: the man
# page cannot drift from --help). Usage: gen-man.sh SCLENS OUT
set -eu
bin=$1
out=$2
version=$("$bin" --version | sed 's/^sclens //')
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
{
	echo ".TH SCLENS 8 \"$(date -u +%Y-%m)\" \"sclens $version\" \"System Administration\""
	echo ".SH NAME"
	printf '%s\n' 'sclens \- find the seccomp rule that denied a call, and the fix'
	echo ".SH SYNOPSIS"
	echo ".B sclens"
	echo ".I COMMAND"
	printf '%s\n' '[\fIOPTIONS\fR]'
	echo ".SH DESCRIPTION"
	echo ".nf"
	"$bin" --help | esc
	echo ".fi"
	for c in watch daemon record explain run posture "profile convert" "profile generate" "profile merge" \
		"profile tighten" "profile diff" "filter dump" "filter eval"; do
		echo ".SH \"SCLENS $(echo "$c" | tr a-z A-Z)\""
		echo ".nf"
		# shellcheck disable=SC2086 # two-word commands split on purpose
		"$bin" $c --help | esc
		echo ".fi"
	done
	echo ".SH FILES"
	echo ".TP"
	echo ".I /usr/share/sclens/profiles"
	echo "Docker's default profiles, as shipped with sclens (also compiled in), with their licence notice."
	echo ".SH SEE ALSO"
	echo ".BR docker-run (1),"
	echo ".BR podman-run (1),"
	echo ".BR seccomp (2),"
	echo ".BR strace (1)"
} > "$out"
