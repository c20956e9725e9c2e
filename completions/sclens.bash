# bash completion for sclens. Options come from `sclens COMMAND --help`,
# syscall names, profiles and containers from `sclens __complete`: nothing
# here can drift from what sclens accepts.
_sclens()
{
	local cur prev cmd sub words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(sclens __complete commands 2>/dev/null) --help --version" -- "$cur"))
		return
	fi
	case $cmd in
	profile) sub=${COMP_WORDS[2]}
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "convert list show generate merge tighten diff" -- "$cur")); return
		fi ;;
	filter) sub=${COMP_WORDS[2]}
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "dump eval" -- "$cur")); return
		fi ;;
	esac
	case $prev in
	-s|--syscall)
		COMPREPLY=($(compgen -W "$(sclens __complete syscalls 2>/dev/null)" -- "$cur")); return ;;
	--container)
		COMPREPLY=($(compgen -W "$(sclens __complete containers 2>/dev/null)" -- "$cur")); return ;;
	-f|--profile|--docker-default|--shadow)
		COMPREPLY=($(compgen -f -- "$cur") $(compgen -W "$(sclens __complete profiles 2>/dev/null)" -- "$cur")); return ;;
	show)
		COMPREPLY=($(compgen -W "$(sclens __complete profiles 2>/dev/null)" -- "$cur")); return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--fail-on)
		COMPREPLY=($(compgen -W "high medium low info" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		words=$(sclens $cmd ${sub:+$sub} --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
	fi
}
complete -F _sclens sclens
