#!/bin/bash
# multi.sh: examples/multi, two NICs and two disks in one guest. Each
# device has its own handle (manifest order) and its own properties (MAC,
# capacity, block size); pings through each tap are answered by its own
# NIC only; each disk file ends up holding that disk's record, in its first
# and last block and nowhere else; at the next boot, with the files
# swapped, each disk finds the other's record; a disk holding something
# else is refused and left untouched. usage: multi.sh UDPSEND
. "$(dirname "$0")/exlib.sh"
need_target
need_netns multi

MON=$(ex_monitor "$EX_DIR/multi/multi-tender")
GUEST=$(guest_of "$EX_DIR/multi/multi")
MAC0=02:00:00:00:02:00
MAC1=02:00:00:00:02:01
N0=200
N1=100
A=$WORK/a.img
B=$WORK/b.img
ADDRS=(--service0-ipv4=10.0.0.2/24 --service1-ipv4=10.1.0.2/24)

tap tap0 10.0.0.1/24
tap tap1 10.1.0.1/24
truncate -s 1M "$A"
truncate -s 2M "$B"

# record DISK BOOT BS: the block multi writes to DISK at boot BOOT.
record() {
    printf 'tender-gen multi record\ndevice %s\nboot %s\n' "$1" "$2" |
        cat - /dev/zero | head -c "$3"
}

# holds FILE DISK BOOT BS: FILE's first and last blocks hold DISK's record
# of boot BOOT, and every other byte of FILE is zero.
holds() {
    local size
    size=$(stat -c %s "$1")
    cmp -s <(head -c "$4" "$1") <(record "$2" "$3" "$4") &&
        cmp -s <(tail -c "$4" "$1") <(record "$2" "$3" "$4") &&
        cmp -s <(head -c $((size - 2 * $4)) "$1" | tail -c +$(($4 + 1))) \
            <(head -c $((size - 3 * $4)) /dev/zero)
}

start_guest "$WORK/guest" "$WORK/guest.err" "$MON" \
    --net:service0=tap0 --net:service1=tap1 \
    --net-mac:service0=$MAC0 --net-mac:service1=$MAC1 \
    --block:disk0="$A" --block:disk1="$B" --block-sector-size:disk1=4096 \
    "$GUEST" "${ADDRS[@]}" --limit=$((N0 + N1 + 2))
check "guest is ready" wait_for "$WORK/guest" "multi: ready"
check "tap0 has carrier" tap_up tap0
check "tap1 has carrier" tap_up tap1
for want in "service0: handle 1, 10.0.0.2/24, mac $MAC0" \
    "service1: handle 2, 10.1.0.2/24, mac $MAC1" \
    "disk0: handle 3, capacity 1048576, block size 512" \
    "disk1: handle 4, capacity 2097152, block size 4096" \
    "disk0: found no record" "disk1: found no record" \
    "disk0: holds its own record, boot 1" \
    "disk1: holds its own record, boot 1"; do
    check "guest: $want" grep -qF "multi: $want" "$WORK/guest"
done

# Different subnets: each ping leaves by its own tap, and a reply sent
# through the wrong NIC would never arrive.
run_ns "$WORK/p0" "$WORK/p0.err" ping -f -c $N0 -w 60 10.0.0.2
run_ns "$WORK/p1" "$WORK/p1.err" ping -f -c $N1 -w 60 10.1.0.2
check "$N0 pings through tap0 answered" test "$(received "$WORK/p0")" = $N0
check "$N1 pings through tap1 answered" test "$(received "$WORK/p1")" = $N1
check "tap0's neighbour is service0's MAC" \
    grep -qF "lladdr $MAC0" <(ip -n "$NS" neigh show 10.0.0.2 dev tap0)
check "tap1's neighbour is service1's MAC" \
    grep -qF "lladdr $MAC1" <(ip -n "$NS" neigh show 10.1.0.2 dev tap1)
run_ns "$WORK/p0" "$WORK/p0.err" ping -c 1 -w 10 10.0.0.2
run_ns "$WORK/p1" "$WORK/p1.err" ping -c 1 -w 10 10.1.0.2
wait_guest
check "guest exits 0" test "$status" -eq 0
check "service0 answered exactly the pings from tap0" \
    grep -qF "service0: frames $((N0 + 2)), arp answered 1, arp ignored 0, echo answered $((N0 + 1))," "$WORK/guest"
check "service1 answered exactly the pings from tap1" \
    grep -qF "service1: frames $((N1 + 2)), arp answered 1, arp ignored 0, echo answered $((N1 + 1))," "$WORK/guest"
check "monitor printed nothing" test ! -s "$WORK/guest.err"
check "host: disk0's file holds disk0's record, boot 1, in 512-byte blocks" \
    holds "$A" disk0 1 512
check "host: disk1's file holds disk1's record, boot 1, in 4096-byte blocks" \
    holds "$B" disk1 1 4096
[ "$failed" -eq 0 ] || cat "$WORK/guest" "$WORK/guest.err"

# Boot 2, the files swapped (and their block sizes with them): each disk
# finds the other's record. --limit=0: stop once the disks are done.
run_ns "$WORK/guest2" "$WORK/guest2.err" "$MON" \
    --net:service0=tap0 --net:service1=tap1 \
    --block:disk0="$B" --block:disk1="$A" --block-sector-size:disk0=4096 \
    "$GUEST" "${ADDRS[@]}" --limit=0
check "boot 2 exits 0" test "$status" -eq 0
check "boot 2: disk0 finds disk1's record" \
    grep -qF "multi: disk0: found the record of disk1, boot 1" "$WORK/guest2"
check "boot 2: disk1 finds disk0's record" \
    grep -qF "multi: disk1: found the record of disk0, boot 1" "$WORK/guest2"
check "host: boot 2 left disk0's record, boot 2, in the 2 MiB file" \
    holds "$B" disk0 2 4096
check "host: boot 2 left disk1's record, boot 2, in the 1 MiB file" \
    holds "$A" disk1 2 512
[ "$failed" -eq 0 ] || cat "$WORK/guest2" "$WORK/guest2.err"

# Boot 3: disk1's file holds something else in its last block.
printf 'not a multi record' | dd of="$A" bs=512 seek=2047 conv=notrunc \
    status=none
cp "$A" "$WORK/a.before"
cp "$B" "$WORK/b.before"
run_ns "$WORK/guest3" "$WORK/guest3.err" "$MON" \
    --net:service0=tap0 --net:service1=tap1 \
    --block:disk0="$B" --block:disk1="$A" --block-sector-size:disk0=4096 \
    "$GUEST" "${ADDRS[@]}" --limit=0
check "boot 3 exits 1" test "$status" -eq 1
check "boot 3: disk1's foreign block is refused" \
    grep -qF "multi: disk1: block at 1048064 holds something else; refusing to overwrite it" \
    "$WORK/guest3"
unchanged() { cmp -s "$A" "$WORK/a.before" && cmp -s "$B" "$WORK/b.before"; }
check "host: boot 3 wrote nothing" unchanged
[ "$failed" -eq 0 ] || cat "$WORK/guest3" "$WORK/guest3.err"
finish
