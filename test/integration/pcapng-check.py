#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
"""Checks a dpdk-dumpcap capture of port A of a net_vpair pair that dpdk-testpmd forwards over
with --forward-mode=io --tx-first (capture.sh). The frames are testpmd's txonly burst, which io
forwarding sends round unchanged: 64-byte UDP/IPv4, 198.18.0.1:9 -> 198.18.0.2:9, zero payload,
from a port's MAC to testpmd's peer address of that port (02:00:00:00:00:0<port>). So port A
(port 0) receives B's frames (02:00:00:00:00:01 <- mac_b) and sends its own back out
(02:00:00:00:00:00 <- mac_a). Every frame must be one of the two, in the direction that fits
(pcapng epb_flags), both directions must be there, the interface must have port A's MAC, and the
count must be what was asked (-c N writes whole bursts: N to N+31) and what dumpcap reported.
Reads pcapng itself: no tshark on a DPDK test machine."""

import argparse
import re
import struct
import sys


def mac(s):
    b = bytes(int(x, 16) for x in s.split(':'))
    if len(b) != 6:
        raise argparse.ArgumentTypeError('bad MAC ' + s)
    return b


def csum(hdr):
    s = sum(struct.unpack('!%dH' % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def txonly_frame(dst, src):
    """testpmd 22.11 txonly defaults (app/test-pmd/txonly.c): 64 bytes, IP id 0, TTL 64."""
    udp = struct.pack('!HHHH', 9, 9, 64 - 14 - 20, 0)
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 64 - 14, 0, 0, 64, 17, 0,
                     bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2]))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return dst + src + b'\x08\x00' + ip + udp + bytes(64 - 14 - 20 - 8)


def options(buf):
    """pcapng options: (code, value) until opt_endofopt."""
    off = 0
    while off + 4 <= len(buf):
        code, length = struct.unpack_from('<HH', buf, off)
        if code == 0:
            break
        yield code, buf[off + 4:off + 4 + length]
        off += 4 + ((length + 3) & ~3)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('file')
    ap.add_argument('--mac-a', type=mac, required=True)
    ap.add_argument('--mac-b', type=mac, required=True)
    ap.add_argument('--min', type=int, required=True)
    ap.add_argument('--max', type=int, required=True)
    ap.add_argument('--dumpcap-log', help="dumpcap's output, for its 'Packets captured' count")
    a = ap.parse_args()

    want = {1: txonly_frame(mac('02:00:00:00:00:01'), a.mac_b),   # inbound: from B
            2: txonly_frame(mac('02:00:00:00:00:00'), a.mac_a)}   # outbound: A's own
    fails = []
    data = open(a.file, 'rb').read()
    if len(data) < 28 or struct.unpack_from('<I', data, 0)[0] != 0x0a0d0d0a or \
            struct.unpack_from('<I', data, 8)[0] != 0x1a2b3c4d:
        sys.exit('FAIL: %s is not a little-endian pcapng file' % a.file)
    if_macs = []
    count = {1: 0, 2: 0}
    bad = 0
    wrong_if = 0
    off = 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from('<II', data, off)
        if blen < 12 or off + blen > len(data):
            fails.append('truncated block at offset %d' % off)
            break
        body = data[off + 8:off + blen - 4]
        if btype == 1:                          # interface description
            if_macs.append(dict(options(body[8:])).get(6))
        elif btype == 6:                        # enhanced packet
            ifid, _, _, caplen, origlen = struct.unpack_from('<IIIII', body, 0)
            frame = body[20:20 + caplen]
            flags = dict(options(body[20 + ((caplen + 3) & ~3):])).get(2)
            direction = struct.unpack('<I', flags)[0] & 3 if flags else 0
            if ifid >= len(if_macs) or if_macs[ifid] != a.mac_a:
                wrong_if += 1
            if direction in want and frame == want[direction] and origlen == caplen:
                count[direction] += 1
            else:
                if bad < 3:
                    fails.append('unexpected frame (direction %d, %d/%d bytes): %s' %
                                 (direction, caplen, origlen, frame.hex()))
                bad += 1
        off += blen
    total = count[1] + count[2] + bad
    print('pcapng-check: %d frames: %d received from port B, %d sent by port A, %d unexpected'
          % (total, count[1], count[2], bad))
    for d, name in ((1, 'inbound'), (2, 'outbound')):
        print('pcapng-check: %s frame: %s' % (name, want[d].hex()))
        if count[d] == 0:
            fails.append('no %s frame' % name)
    if not a.min <= total <= a.max:
        fails.append('%d frames, expected %d to %d' % (total, a.min, a.max))
    if a.dumpcap_log:
        # A running count, each number over the last with backspaces: the last one.
        said = re.findall(r'Packets captured:([^\n]*)', open(a.dumpcap_log).read())
        said = re.findall(r'\d+', said[-1]) if said else []
        n = int(said[-1]) if said else None
        print('pcapng-check: dumpcap said it captured %s' % n)
        if n != total:
            fails.append('dumpcap reported %s frames captured, the file has %d' % (n, total))
    if wrong_if:
        fails.append('%d frames on an interface without the MAC of port A' % wrong_if)
    if bad > 3:
        fails.append('... and %d more unexpected frames' % (bad - 3))
    for f in fails:
        print('FAIL: ' + f)
    sys.exit(1 if fails else 0)


if __name__ == '__main__':
    main()
