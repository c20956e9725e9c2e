# Shared by the soaks of make bench (soak.sh, soak-hostile.sh); sourced.
# soak_daemon LOG_MAX_MB: starts sclens daemon on $port, its log in $tmp,
# sets $pid once it watches
soak_daemon() {
	build/sclens daemon --metrics-addr "127.0.0.1:$port" --log-file "$tmp/soak.json" --log-max-mb "$1" \
		--log-keep 2 --metrics-retention 10s >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 100); do grep -q watching "$tmp/err" && break; sleep 0.1; done
}

# soak_state LABEL LAST_COLUMN: the daemon's RSS and cache sizes from its
# own metrics, then LAST_COLUMN (already formatted)
soak_state() {
	local rss m
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	m=$(curl -sf "http://127.0.0.1:$port/metrics")
	printf '  %-8s RSS %6d KiB, containers cached %5s, gone cgroups kept %4s, series %5s, %s\n' "$1" \
		"$rss" "$(echo "$m" | awk '$1 == "sclens_containers" { print $2 }')" \
		"$(echo "$m" | awk '$1 == "sclens_cgroups_gone" { print $2 }')" \
		"$(echo "$m" | grep -c '^sclens_denials_total{')" "$2"
}
