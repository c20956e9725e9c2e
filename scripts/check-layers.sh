#!/bin/bash
# The layout docs/architecture.md promises for user/: each folder is a
# floor (common 0; profiles, runtimes 1; pipeline 2; sinks 3; commands 4),
# no file includes a header of a higher floor, no two .c files include
# each other's headers (a circle), and no two files share a name (objects
# are built by file name). Prints each breach; exits 1 if there is one.
set -u
cd "$(dirname "$0")/.."
declare -A floor=([common]=0 [profiles]=1 [runtimes]=1 [pipeline]=2 [sinks]=3 [commands]=4)
declare -A dir_of
bad=0
for f in user/*/*.[ch]; do
	b=$(basename "$f")
	if [ -n "${dir_of[$b]:-}" ]; then
		echo "two files named $b: user/${dir_of[$b]}/$b and $f"
		bad=1
	fi
	dir_of[$b]=$(basename "$(dirname "$f")")
done
# includes[X.c] = the headers X.c includes, as " a.h b.h "
declare -A includes
for f in user/*/*.[ch]; do
	d=$(basename "$(dirname "$f")")
	[ -n "${floor[$d]:-}" ] || { echo "$f: folder $d has no floor"; bad=1; continue; }
	incs=$(sed -n 's/^#include "\(.*\)"/\1/p' "$f")
	includes[$(basename "$f")]=" $(echo $incs) "
	for inc in $incs; do
		id=${dir_of[$inc]:-}
		[ -n "$id" ] || continue
		if [ "${floor[$id]}" -gt "${floor[$d]}" ]; then
			echo "$f includes $id/$inc: a floor up"
			bad=1
		fi
	done
done
for f in user/*/*.c; do
	a=$(basename "$f" .c)
	for inc in ${includes[$a.c]}; do
		b=${inc%.h}
		[ "$b" != "$a" ] && [ -n "${includes[$b.c]:-}" ] || continue
		if [[ "${includes[$b.c]}" == *" $a.h "* ]] && [[ "$a" < "$b" ]]; then
			echo "$a.c and $b.c include each other's headers: a circle"
			bad=1
		fi
	done
done
exit $bad
