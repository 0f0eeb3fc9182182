#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
"""The frames of testpmd-offload.sh, and the check of what the receiving port got.

  offload-frames.py gen IN.pcap
      writes the frames that net_pcap feeds to testpmd's csum engine (classic pcap). Every
      checksum in them is WRONG on purpose (IPv4 header 0xdead, TCP/UDP 0xbeef): the csum
      engine asks for them by offload flags and does not touch them, so only the driver's
      offload can make them right at the receiver. TCP payloads above 800 bytes (the
      testpmd `tso set 800`) get RTE_MBUF_F_TX_TCP_SEG; smaller TCP and the UDP frames get
      the checksum requests only.
  offload-frames.py check CAPTURE.pcapng --mode full|phdr|lro [--log TESTPMD.log]
      compares the frames dpdk-dumpcap captured on the receiving port, in order, with those
      the spec (offload-spec.md) says the receiver gets:
        full  receiver without Rx checksum offloads: segments of mss bytes, full L4 checksum
        phdr  receiver with RX TCP_CKSUM/UDP_CKSUM: segments, the L4 field holds the
              pseudo-header checksum (with the length), as rte_ipv4/ipv6_phdr_cksum(ip, 0)
        lro   receiver with TCP_LRO and the checksum offloads: TSO super-frames arrive whole
              (IPv4 total_length right, header checksum valid), L4 field pseudo-header
      Every frame: IPv4 header checksum valid, lengths right, TCP seq advanced by the payload
      before it, IPv4 id +1 per segment, FIN/PSH only on the last segment, CWR only on the
      first, the payload bytes in place, MAC addresses ignored (the csum engine rewrites them).
      With --log, the csum engine's verbose lines for the receiving port (port=1) must carry
      the Rx flags of the mode (L4_CKSUM_NONE / IP_CKSUM_GOOD / LRO), and its lines for the
      sending port must show that testpmd did request the offloads (TX_TCP_SEG etc.).
Exit 0 when all is as specified; else one line per difference and exit 1. No scapy needed."""

import argparse
import struct
import sys

MSS = 800
SRC4, DST4 = bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2])
SRC6 = bytes.fromhex('20010db8000000000000000000000001')  # RFC 3849 documentation prefix
DST6 = bytes.fromhex('20010db8000000000000000000000002')
BAD_IP, BAD_L4 = 0xdead, 0xbeef
FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128


def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def raw(b):
    if len(b) % 2:
        b += b'\0'
    return fold(sum(struct.unpack('!%dH' % (len(b) // 2), b)))


def phdr4(ip, proto, l4len):
    return fold(raw(ip[12:20]) + proto + l4len)


def phdr6(ip, proto, l4len):
    return fold(raw(ip[8:40]) + (l4len >> 16) + (l4len & 0xffff) + proto)


class Frame:
    """One frame: l2 (with or without a VLAN tag), IPv4 or IPv6, TCP or UDP, payload."""

    def __init__(self, v6=False, udp=False, vlan=None, payload=b'', seq=1000, ipid=7,
                 flags=PSH | ACK, ports=(5001, 5201)):
        self.v6, self.udp, self.vlan, self.payload = v6, udp, vlan, payload
        self.seq, self.ipid, self.flags, self.ports = seq, ipid, flags, ports

    def l2(self):
        mac = bytes.fromhex('027670000000')
        et = b'\x86\xdd' if self.v6 else b'\x08\x00'
        if self.vlan is not None:
            return mac + mac + b'\x81\x00' + struct.pack('!H', self.vlan) + et
        return mac + mac + et

    def l4(self, payload, seq, flags, csum):
        if self.udp:
            return struct.pack('!HHHH', self.ports[0], self.ports[1], 8 + len(payload), csum)
        return struct.pack('!HHIIBBHHH', self.ports[0], self.ports[1], seq & 0xffffffff,
                           4242, 5 << 4, flags, 65535, csum, 0)

    def build(self, payload=None, seq=None, ipid=None, flags=None, ip_csum=None, l4_csum=None):
        """The frame with these fields; ip_csum/l4_csum: a number, 'full' or 'phdr'."""
        payload = self.payload if payload is None else payload
        seq = self.seq if seq is None else seq
        ipid = self.ipid if ipid is None else ipid
        flags = self.flags if flags is None else flags
        proto = 17 if self.udp else 6
        l4 = self.l4(payload, seq, flags, 0)
        l4len = len(l4) + len(payload)
        if self.v6:
            ip = struct.pack('!IHBB', 6 << 28, l4len, proto, 64) + SRC6 + DST6
            ph = phdr6(ip, proto, l4len)
        else:
            ip = struct.pack('!BBHHHBBH', 0x45, 0, 20 + l4len, ipid & 0xffff, 0, 64, proto, 0) \
                + SRC4 + DST4
            ic = (~raw(ip) & 0xffff) if ip_csum == 'full' else ip_csum
            ip = ip[:10] + struct.pack('!H', ic) + ip[12:]
            ph = phdr4(ip, proto, l4len)
        if l4_csum == 'full':
            c = ~fold(ph + raw(l4 + payload)) & 0xffff
            if self.udp and c == 0:
                c = 0xffff
        elif l4_csum == 'phdr':
            c = ph
        else:
            c = l4_csum
        return self.l2() + ip + self.l4(payload, seq, flags, c) + payload

    def tso(self):
        return not self.udp and len(self.payload) > MSS

    def sent(self):
        return self.build(ip_csum=BAD_IP, l4_csum=BAD_L4)

    def expected(self, mode):
        """The frames the receiver gets, as (description, bytes)."""
        l4c = 'full' if mode in ('full', 'good') else 'phdr'
        if not self.tso() or mode == 'lro':
            return [('whole', self.build(ip_csum='full', l4_csum=l4c))]
        out = []
        n = (len(self.payload) + MSS - 1) // MSS
        for i in range(n):
            f = self.flags
            if i != n - 1:
                f &= ~(FIN | PSH)
            if i != 0:
                f &= ~CWR
            out.append(('segment %d/%d' % (i + 1, n),
                        self.build(payload=self.payload[i * MSS:(i + 1) * MSS], seq=self.seq + i * MSS,
                                   ipid=self.ipid + i, flags=f, ip_csum='full', l4_csum=l4c)))
        return out

    def name(self):
        return '%s/%s%s %d bytes payload%s' % (
            'IPv6' if self.v6 else 'IPv4', 'UDP' if self.udp else 'TCP',
            '' if self.vlan is None else ' VLAN %d' % self.vlan, len(self.payload),
            ' (TSO)' if self.tso() else '')


def frames():
    """The input: each kind of request a few times, payloads that tell bytes apart."""
    out = []
    for r in range(4):
        def pl(n, k):
            return bytes((i * 7 + k * 31 + r) & 0xff for i in range(n))
        base = 100000 * (r + 1)
        out += [
            Frame(payload=pl(1400, 1), seq=base, ipid=100 + r * 10, flags=ACK | PSH),
            Frame(payload=pl(1460, 2), seq=base + 5000, ipid=0xfffe, flags=CWR | ACK | PSH | FIN),
            Frame(payload=pl(3000, 3), seq=0xffffff00 + r, ipid=200 + r * 10),  # seq wraps, chain
            Frame(payload=pl(300, 4), seq=base + 9000, ipid=300 + r),  # checksum only
            Frame(payload=pl(801, 5), seq=base + 12000, ipid=310 + r),  # 800 + 1
            Frame(udp=True, payload=pl(1000, 6), ipid=400 + r, ports=(9, 9)),
            Frame(v6=True, payload=pl(1400, 7), seq=base + 20000),
            Frame(v6=True, udp=True, payload=pl(700, 8), ports=(9, 9)),
            Frame(vlan=100 + r, payload=pl(1200, 9), seq=base + 30000, ipid=500 + r * 10),
        ]
    return out


def write_pcap(path, pkts):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack('<IIII', 1, i, len(p), len(p)) + p)


def read_pcapng(path):
    """Inbound frames (epb_flags direction 1, or no flags) of a pcapng file."""
    data = open(path, 'rb').read()
    off, out = 0, []
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from('<II', data, off)
        if blen < 12:
            break
        if btype == 6:  # enhanced packet block
            caplen, = struct.unpack_from('<I', data, off + 20)
            origlen, = struct.unpack_from('<I', data, off + 24)
            pkt = data[off + 28:off + 28 + caplen]
            o = off + 28 + ((caplen + 3) & ~3)
            inbound = True
            while o + 4 <= off + blen - 4:
                code, ln = struct.unpack_from('<HH', data, o)
                if code == 0:
                    break
                if code == 2 and ln == 4:  # epb_flags: bits 0-1 direction, 1 in, 2 out
                    inbound = (struct.unpack_from('<I', data, o + 4)[0] & 3) != 2
                o += 4 + ((ln + 3) & ~3)
            if inbound:
                out.append((pkt, origlen))
        off += blen
    return out


def describe(a, b):
    """What differs between expected frame a and got frame b (MACs ignored)."""
    if len(a) != len(b):
        return 'length %d, expected %d' % (len(b), len(a))
    l2 = 18 if a[12:14] == b'\x81\x00' else 14
    if a[12:l2] != b[12:l2]:
        return 'L2 tag/ethertype %s, expected %s' % (b[12:l2].hex(), a[12:l2].hex())
    v6 = a[l2 - 2:l2] == b'\x86\xdd'
    ipl = 40 if v6 else 20
    ip_a, ip_b = a[l2:l2 + ipl], b[l2:l2 + ipl]
    what = []
    if not v6:
        if ip_a[10:12] != ip_b[10:12]:
            what.append('IPv4 header checksum %s, expected %s%s' % (
                ip_b[10:12].hex(), ip_a[10:12].hex(),
                ' (the sender\'s bogus value: not filled in)' if ip_b[10:12] == b'\xde\xad' else ''))
        for name, s, e in (('total_length', 2, 4), ('id', 4, 6)):
            if ip_a[s:e] != ip_b[s:e]:
                what.append('IPv4 %s %d, expected %d' % (name, int.from_bytes(ip_b[s:e], 'big'),
                                                         int.from_bytes(ip_a[s:e], 'big')))
        if ip_a[:10] + ip_a[12:] != ip_b[:10] + ip_b[12:] and not what:
            what.append('IPv4 header %s, expected %s' % (ip_b.hex(), ip_a.hex()))
    elif ip_a != ip_b:
        what.append('IPv6 header %s, expected %s' % (ip_b.hex(), ip_a.hex()))
    l4o = l2 + ipl
    udp = a[l2 + (6 if v6 else 9)] == 17
    co = l4o + (6 if udp else 16)
    if a[co:co + 2] != b[co:co + 2]:
        what.append('%s checksum %s, expected %s%s' % (
            'UDP' if udp else 'TCP', b[co:co + 2].hex(), a[co:co + 2].hex(),
            ' (the sender\'s bogus value: not filled in)' if b[co:co + 2] == b'\xbe\xef' else ''))
    if not udp:
        if a[l4o + 4:l4o + 8] != b[l4o + 4:l4o + 8]:
            what.append('TCP seq %d, expected %d' % (int.from_bytes(b[l4o + 4:l4o + 8], 'big'),
                                                     int.from_bytes(a[l4o + 4:l4o + 8], 'big')))
        if a[l4o + 13] != b[l4o + 13]:
            what.append('TCP flags 0x%02x, expected 0x%02x' % (b[l4o + 13], a[l4o + 13]))
    hl = l4o + (8 if udp else 20)
    rest_a = a[l4o:co] + a[co + 2:]
    rest_b = b[l4o:co] + b[co + 2:]
    if rest_a != rest_b and not what:
        what.append('L4 header or payload differs')
    elif a[hl:] != b[hl:]:
        what.append('payload differs')
    return '; '.join(what) or 'differs'


def check_log(log, mode, inputs):
    """The csum engine's verbose lines (testpmd `set verbose 1`)."""
    errs = []
    lines = open(log, errors='replace').read().splitlines()
    rx, tx = [], []
    port = None
    for ln in lines:
        if ln.startswith('port=') and ', mbuf=' in ln:
            port = ln.split(',')[0][5:]
        elif ln.startswith('rx: l2_len=') and port is not None:
            (rx if port == '1' else []).append(ln)
        elif ln.startswith('tx: flags=') and port is not None:
            (tx if port == '2' else []).append(ln)
            port = None
    # What testpmd asked of port 0 for each input frame (the frames came in on port 2).
    n_tso = sum(1 for f in inputs if f.tso())
    n_seg = sum(1 for t in tx if 'RTE_MBUF_F_TX_TCP_SEG' in t)
    n_tcp = sum(1 for t in tx if 'RTE_MBUF_F_TX_TCP_CKSUM' in t)
    n_udp = sum(1 for t in tx if 'RTE_MBUF_F_TX_UDP_CKSUM' in t)
    n_ip = sum(1 for t in tx if 'RTE_MBUF_F_TX_IP_CKSUM' in t)
    want = (n_tso, sum(1 for f in inputs if not f.udp and not f.tso()),
            sum(1 for f in inputs if f.udp), sum(1 for f in inputs if not f.v6))
    got = (n_seg, n_tcp, n_udp, n_ip)
    print('testpmd requested on port 0: TX_TCP_SEG %d, TX_TCP_CKSUM %d, TX_UDP_CKSUM %d, '
          'TX_IP_CKSUM %d (of %d frames)' % (got + (len(tx),)))
    if len(tx) != len(inputs) or got != want:
        errs.append('testpmd did not request the offloads it should (TX_TCP_SEG, TCP, UDP, IP: '
                    'expected %s, got %s, %d frames for %d): was `csum set`/`tso set` refused?'
                    % (want, got, len(tx), len(inputs)))
    exp = [(f, d) for f in inputs for d, _ in f.expected(mode)]
    if len(rx) != len(exp):
        errs.append('the csum engine printed %d received frames for port 1, expected %d'
                    % (len(rx), len(exp)))
    for i, ((f, d), ln) in enumerate(zip(exp, rx)):
        flags = ln.split('flags=', 1)[1].split()
        want_l4 = {'full': 'RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN',
                   'good': 'RTE_MBUF_F_RX_L4_CKSUM_GOOD'}.get(mode, 'RTE_MBUF_F_RX_L4_CKSUM_NONE')
        want_ip = 'RTE_MBUF_F_RX_IP_CKSUM_GOOD' if (mode != 'full' and not f.v6) \
            else 'RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN'
        miss = [w for w in (want_l4, want_ip) if w not in flags]
        if mode == 'lro' and f.tso() and 'RTE_MBUF_F_RX_LRO' not in flags:
            miss.append('RTE_MBUF_F_RX_LRO')
        if (mode != 'lro' or not f.tso()) and 'RTE_MBUF_F_RX_LRO' in flags:
            miss.append('no RTE_MBUF_F_RX_LRO')
        if miss:
            errs.append('rx frame %d (%s, %s): Rx flags %s, missing %s'
                        % (i, f.name(), d, ' '.join(flags), ' '.join(miss)))
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    g = sub.add_parser('gen')
    g.add_argument('out')
    sub.add_parser('count', help='prints: frames in, frames out with TSO, frames out with LRO')
    c = sub.add_parser('check')
    c.add_argument('capture')
    c.add_argument('--mode', choices=('full', 'good', 'phdr', 'lro'), required=True)
    c.add_argument('--log')
    a = ap.parse_args()
    inputs = frames()
    if a.cmd == 'count':
        print(len(inputs), sum(len(f.expected('full')) for f in inputs),
              sum(len(f.expected('lro')) for f in inputs))
        return 0
    if a.cmd == 'gen':
        write_pcap(a.out, [f.sent() for f in inputs])
        print('%d frames (%d with TSO) in %s' % (len(inputs), sum(f.tso() for f in inputs), a.out))
        return 0
    exp = [(f, d, p) for f in inputs for d, p in f.expected(a.mode)]
    sent = [f.sent()[12:] for f in inputs]
    got = read_pcapng(a.capture)
    errs = []
    j = 0  # the next expected frame
    for i, (g, origlen) in enumerate(got):
        if len(g) != origlen:
            errs.append('frame %d: captured %d of %d bytes (snaplen)' % (i, len(g), origlen))
            continue
        m = next((m for m in range(j, len(exp)) if exp[m][2][12:] == g[12:]), None)
        if m is not None:
            for f, d, _ in exp[j:m]:
                errs.append('frame %d: before it, not received: %s, %s' % (i, f.name(), d))
            j = m + 1
            continue
        if g[12:] in sent:
            # Unchanged input: the driver applied none of the requests.
            k = sent.index(g[12:])
            errs.append('frame %d: input frame %d (%s) arrived as sent: no offload applied '
                        '(checksums still the bogus 0x%04x/0x%04x%s)'
                        % (i, k, inputs[k].name(), BAD_IP, BAD_L4,
                           ', not segmented' if inputs[k].tso() and a.mode != 'lro' else ''))
            j = next((m for m in range(len(exp)) if inputs.index(exp[m][0]) > k), len(exp))
            continue
        if j < len(exp):
            f, d, p = exp[j]
            errs.append('frame %d (%s, %s): %s' % (i, f.name(), d, describe(p, g)))
            j += 1
        else:
            errs.append('frame %d: one more than expected' % i)
    if len(got) != len(exp):
        errs.append('%d frames received, expected %d' % (len(got), len(exp)))
    print('mode %s: %d frames expected at the receiver, %d captured, %d not as specified'
          % (a.mode, len(exp), len(got), sum(1 for e in errs if e.startswith('frame'))))
    if a.log:
        errs += check_log(a.log, a.mode, inputs)
    for e in errs[:40]:
        print('FAIL: ' + e)
    if len(errs) > 40:
        print('FAIL: ... %d more' % (len(errs) - 40))
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main())
