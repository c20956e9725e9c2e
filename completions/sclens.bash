# bash completion for sclens. Options come from the OPTIONS part of
# `sclens COMMAND --help`; syscall names, profiles, capabilities and the
# running containers, pods, namespaces and images from `sclens __complete`:
# nothing here can drift from what sclens accepts. Paths may hold spaces.
_sclens_words() { # _sclens_words WORDS...: COMPREPLY from a word list
	mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur")
}

_sclens_files() { # _sclens_files [-d]: paths, one reply each, spaces kept
	compopt -o filenames 2>/dev/null || true # (not when called outside completion)
	mapfile -t COMPREPLY < <(compgen "${1:--f}" -- "$cur")
}

_sclens()
{
	local cur prev cmd sub words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		_sclens_words "$(sclens __complete commands 2>/dev/null) --help --version"
		return
	fi
	case $cmd in
	profile) sub=${COMP_WORDS[2]}
		if [ "$COMP_CWORD" -eq 2 ]; then
			_sclens_words "convert list show generate merge tighten diff"; return
		fi ;;
	filter) sub=${COMP_WORDS[2]}
		if [ "$COMP_CWORD" -eq 2 ]; then
			_sclens_words "dump eval"; return
		fi ;;
	help)
		_sclens_words "$(sclens __complete commands 2>/dev/null)"; return ;;
	esac
	case $prev in
	-s|--syscall)
		_sclens_words "$(sclens __complete syscalls 2>/dev/null)"; return ;;
	--container)
		_sclens_words "$(sclens __complete containers 2>/dev/null)"; return ;;
	--pod)
		_sclens_words "$(sclens __complete pods 2>/dev/null)"; return ;;
	--namespace)
		_sclens_words "$(sclens __complete namespaces 2>/dev/null)"; return ;;
	--image)
		_sclens_words "$(sclens __complete images 2>/dev/null)"; return ;;
	--cap-add|--cap-drop)
		_sclens_words "$(sclens __complete capabilities 2>/dev/null) ALL"; return ;;
	-p|--pid)
		_sclens_words "$(cd /proc 2>/dev/null && compgen -G '[0-9]*')"; return ;;
	-f|--profile|--docker-default|--shadow)
		_sclens_files
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -W "$(sclens __complete profiles 2>/dev/null)" -- "$cur")
		return ;;
	show)
		_sclens_words "$(sclens __complete profiles 2>/dev/null)"; return ;;
	--color)
		_sclens_words "auto always never"; return ;;
	--fail-on)
		_sclens_words "high medium low info"; return ;;
	--method)
		_sclens_words "auto fexit one-hook two-hooks"; return ;;
	-F|--format)
		_sclens_words "docker oci spo"; return ;;
	-a|--arch)
		_sclens_words "x86_64 i386 x32 aarch64 arm"; return ;;
	-o|--output|--log-file|--write-profile|--web.config.file|--patch)
		_sclens_files; return ;;
	--cgroup|--host-root|--runc-root|--docker-root|--containerd-root|--crio-root|--podman-root|--kubelet-root)
		_sclens_files -d; return ;;
	esac
	if [[ $cur == -* ]]; then
		# the options listed under OPTIONS, not words of the examples
		words=$(sclens "$cmd" ${sub:+"$sub"} --help 2>/dev/null |
			sed -n 's/^ \{1,6\}\(-[^-], \)\{0,1\}\(--[a-z][a-z0-9.-]*\).*/\2/p' | sort -u)
		_sclens_words "$words"
	elif [ "$cmd" = profile ] || [ "$cmd" = explain ] || [ "$cmd" = run ]; then
		_sclens_files # recordings, profiles, programs
	fi
}
complete -F _sclens sclens
