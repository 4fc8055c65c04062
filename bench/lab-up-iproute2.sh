#!/bin/sh
# The reference for `tipcx lab up nodes N` (bench/run.ts times both): the same
# cluster as src/lab/cluster.ts builds with eth media, made the way a person
# would with iproute2 alone. N namespaces PREFIX1..PREFIXN, each with a veth
# whose host end is in bridge BRIDGE (multicast snooping off) and whose inside
# end is eth0, lo and eth0 up, the node identity set to the namespace's name,
# an eth bearer on eth0; then wait until every namespace has a link up to
# every other.
#   sh bench/lab-up-iproute2.sh PREFIX N BRIDGE
# Removal (not timed): ip netns del PREFIXi; ip link del BRIDGE.
set -eu
prefix=$1
nodes=$2
bridge=$3

ip link add "$bridge" type bridge mcast_snooping 0
ip link set "$bridge" up
i=1
while [ "$i" -le "$nodes" ]; do
    ns=$prefix$i
    ip netns add "$ns"
    ip link add "v-$ns" master "$bridge" up type veth peer name eth0 netns "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip netns exec "$ns" tipc node set identity "$ns"
    ip netns exec "$ns" tipc bearer enable media eth device eth0
    i=$((i + 1))
done

# Links up in both: poll only the namespaces still short of links, as tipcx does.
pending=$(seq 1 "$nodes")
want=$((nodes - 1))
while [ -n "$pending" ]; do
    left=
    for i in $pending; do
        up=$(ip netns exec "$prefix$i" tipc link list | grep -c ': up$' || true)
        [ "$up" -ge "$want" ] || left="$left $i"
    done
    pending=$left
    [ -z "$pending" ] || sleep 0.3
done
