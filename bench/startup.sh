#!/usr/bin/env bash
# Wall-clock start-up of a gateway command: from exec until /readyz answers
# 200, RUNS times; prints each run and min/median/max in ms. The probe is
# bash's /dev/tcp and the 1 ms pause between probes a read timeout, so
# polling forks nothing and leaves the CPU to the gateway.
#
#   bash bench/startup.sh RUNS PORT bin/gateway serve -artifact /tmp/artifact
#
# PORT must be the port the command's gateway.yaml listens on.
set -u
usage="usage: startup.sh RUNS PORT COMMAND [ARGS...]"
runs=${1:?$usage}
port=${2:?$usage}
shift 2
(($# > 0)) || { echo "$usage" >&2; exit 2; }

ready() {
	{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
	printf 'GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
	local proto status
	read -r proto status _ <&3
	exec 3<&-
	[[ $status == 200 ]]
}

pause=$(mktemp -u)
mkfifo "$pause"
exec 4<>"$pause"
rm -f "$pause"

if ready; then
	echo "something already answers on port $port; stop it first" >&2
	exit 1
fi
echo "loadavg before: $(cat /proc/loadavg)"
times=()
for ((i = 1; i <= runs; i++)); do
	start=$EPOCHREALTIME
	"$@" 2>/dev/null &
	pid=$!
	until ready; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "the gateway exited; run it by hand to see why" >&2
			exit 1
		fi
		read -r -t 0.001 -u 4
	done
	end=$EPOCHREALTIME
	kill "$pid"
	wait "$pid" 2>/dev/null
	ms=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) * 1000 }')
	times+=("$ms")
	echo "run $i: $ms ms"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "min %.1f ms, median %.1f ms, max %.1f ms over %d runs\n", a[1], a[int((NR + 1) / 2)], a[NR], NR }'
