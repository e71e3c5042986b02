package wire

// Real captures: every TCP segment of every capture in testdata/captures
// goes through the codec and the checksum. See testdata/captures/README.md
// for where the captures come from.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// captureCounts is what one capture (or all of them) yielded.
type captureCounts struct {
	Segments     int // TCP segments found in IPv4 or IPv6 packets
	RoundTripped int // parsed, and serialised back to the same bytes
	Rejected     int // ParseHeader returned an error
	ChecksumOK   int // complete segments whose checksum verifies
	BadChecksum  int // complete segments whose checksum does not verify
	Incomplete   int // segments cut short in the capture (snap length): checksum not checked
	Reserved     int // round-tripped segments with reserved bits (AE included) set
}

func (c *captureCounts) add(d captureCounts) {
	c.Segments += d.Segments
	c.RoundTripped += d.RoundTripped
	c.Rejected += d.Rejected
	c.ChecksumOK += d.ChecksumOK
	c.BadChecksum += d.BadChecksum
	c.Incomplete += d.Incomplete
	c.Reserved += d.Reserved
}

func (c captureCounts) String() string {
	return fmt.Sprintf("segments=%d round-tripped=%d rejected=%d checksum-ok=%d bad-checksum=%d incomplete=%d reserved-bits=%d",
		c.Segments, c.RoundTripped, c.Rejected, c.ChecksumOK, c.BadChecksum, c.Incomplete, c.Reserved)
}

// wantCaptures holds the measured results for each capture. A change in
// the codec or checksum that alters any count fails the test; if a capture
// is added, measure it and add its row.
var wantCaptures = map[string]captureCounts{
	"tcpdump__dns_tcp.pcap": {Segments: 11, RoundTripped: 11, Rejected: 0, ChecksumOK: 11, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"tcpdump__pptp.pcap":    {Segments: 22, RoundTripped: 22, Rejected: 0, ChecksumOK: 22, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	// 2 loopback segments hold only the pseudo-header sum (checksum offload)
	"tcpdump__print-flags.pcap":      {Segments: 10, RoundTripped: 10, Rejected: 0, ChecksumOK: 8, BadChecksum: 2, Incomplete: 0, Reserved: 0},
	"tcpdump__tfo-5c1fa7f9ae91.pcap": {Segments: 14, RoundTripped: 14, Rejected: 0, ChecksumOK: 14, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	// snap length 96: 3 data segments cut short
	"zeek__communityid_tcp.pcap": {Segments: 12, RoundTripped: 12, Rejected: 0, ChecksumOK: 9, BadChecksum: 0, Incomplete: 3, Reserved: 0},
	"zeek__ftp_bruteforce.pcap":  {Segments: 606, RoundTripped: 606, Rejected: 0, ChecksumOK: 606, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	// IPv6
	"zeek__ftp_ipv6-violation.pcap": {Segments: 19, RoundTripped: 19, Rejected: 0, ChecksumOK: 19, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__http_ctu-62604-80.pcap":  {Segments: 20, RoundTripped: 20, Rejected: 0, ChecksumOK: 20, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__http_get-gzip.pcap":      {Segments: 14, RoundTripped: 14, Rejected: 0, ChecksumOK: 14, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	// nanosecond pcap; every checksum off by 0x125f (addresses rewritten)
	"zeek__http_get-to-ssh-server.pcap":          {Segments: 9, RoundTripped: 9, Rejected: 0, ChecksumOK: 0, BadChecksum: 9, Incomplete: 0, Reserved: 0},
	"zeek__http_http-11-request-then-cruft.pcap": {Segments: 20, RoundTripped: 20, Rejected: 0, ChecksumOK: 20, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__nmap-vsn.pcap":                        {Segments: 32, RoundTripped: 32, Rejected: 0, ChecksumOK: 32, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	// DLT_NULL loopback, IPv4 and IPv6
	"zeek__redis_almost-resp.pcap": {Segments: 12, RoundTripped: 12, Rejected: 0, ChecksumOK: 12, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__rfb_vnc-scanner.pcap":   {Segments: 20, RoundTripped: 20, Rejected: 0, ChecksumOK: 20, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	// pcapng
	"zeek__smb_smb2-zero-byte-error-ioctl.pcapng":   {Segments: 180, RoundTripped: 180, Rejected: 0, ChecksumOK: 180, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__tcp_fin_retransmission.pcap":             {Segments: 5, RoundTripped: 5, Rejected: 0, ChecksumOK: 5, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__tcp_qi_internet_SYNACK_curl_jsonip.pcap": {Segments: 14, RoundTripped: 14, Rejected: 0, ChecksumOK: 14, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	// snap length 54: data cut; the rest carry checksum 0 (offload)
	"zeek__tcp_retransmit-fast009.pcap": {Segments: 39, RoundTripped: 39, Rejected: 0, ChecksumOK: 0, BadChecksum: 18, Incomplete: 21, Reserved: 0},
	// the injected RST|ACK has all four reserved bits set
	"zeek__tcp_rst-inject-rae.pcap":      {Segments: 9, RoundTripped: 9, Rejected: 0, ChecksumOK: 9, BadChecksum: 0, Incomplete: 0, Reserved: 1},
	"zeek__tcp_tcp-fast-open.pcap":       {Segments: 16, RoundTripped: 16, Rejected: 0, ChecksumOK: 16, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__tls_ocsp-revoked.pcap":        {Segments: 50, RoundTripped: 50, Rejected: 0, ChecksumOK: 50, BadChecksum: 0, Incomplete: 0, Reserved: 0},
	"zeek__websocket_wstunnel-http.pcap": {Segments: 13, RoundTripped: 13, Rejected: 0, ChecksumOK: 13, BadChecksum: 0, Incomplete: 0, Reserved: 0},
}

// TestCaptures parses and re-serialises every TCP segment of every capture
// and verifies its checksum with the pseudo-header of its IP packet.
func TestCaptures(t *testing.T) {
	files := captureFiles(t)
	var total captureCounts
	kinds := make(map[OptionKind]int)
	seen := make(map[string]bool)
	for _, path := range files {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			var got captureCounts
			for _, s := range readSegments(t, path) {
				checkSegment(t, s, &got, kinds)
			}
			t.Logf("%s: %v", name, got)
			total.add(got)
			if got.RoundTripped+got.Rejected != got.Segments {
				t.Errorf("%d segments, but %d round-tripped and %d rejected", got.Segments, got.RoundTripped, got.Rejected)
			}
			if got.RoundTripped == 0 {
				t.Errorf("no segment round-tripped")
			}
			want, ok := wantCaptures[name]
			if !ok {
				t.Errorf("no expected counts for %s: add a row to wantCaptures: %#v", name, got)
				return
			}
			if got != want {
				t.Errorf("counts changed (-want +got):\n%s", cmp.Diff(want, got))
			}
		})
	}
	for name := range wantCaptures {
		if !seen[name] {
			t.Errorf("capture %s of wantCaptures is missing from testdata/captures", name)
		}
	}
	var ks []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		ks = append(ks, fmt.Sprintf("%v: %d", k, kinds[k]))
	}
	t.Logf("total over %d captures: %v", len(files), total)
	t.Logf("options seen: %s", strings.Join(ks, ", "))
}

// TestCapturesCut cuts every captured TCP header short at every length and
// checks that each cut is rejected as truncated (the case of a capture's snap
// length falling inside a header), without a panic.
func TestCapturesCut(t *testing.T) {
	n := 0
	for _, path := range captureFiles(t) {
		for _, s := range readSegments(t, path) {
			h, _, err := ParseHeader(s.seg)
			if err != nil {
				continue
			}
			for cut := range h.Len() {
				_, _, err := ParseHeader(s.seg[:cut])
				if !errors.Is(err, ErrHeaderTruncated) {
					t.Errorf("%s packet %d cut to %d of %d header bytes: error %v, want %v",
						filepath.Base(path), s.packet, cut, h.Len(), err, ErrHeaderTruncated)
				}
				n++
			}
		}
	}
	t.Logf("%d cut headers rejected", n)
}

func captureFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "captures", "*.pcap*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no captures in testdata/captures")
	}
	return files
}

// capturedSegment is one TCP segment found in a capture.
type capturedSegment struct {
	packet   int    // frame number in the capture, from 1
	seg      []byte // the TCP segment as captured: header and what was captured of the data
	src, dst netip.Addr
	complete bool // the whole segment was captured, so its checksum can be checked
	ci       gopacket.CaptureInfo
}

// captureReader is what pcapgo's two readers have in common.
type captureReader interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// openCapture opens a pcap (microsecond or nanosecond) or pcapng file and
// returns a reader and a function giving each packet's link type.
func openCapture(path string) (captureReader, func(ci gopacket.CaptureInfo) layers.LinkType, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if len(raw) >= 4 && binary.BigEndian.Uint32(raw) == 0x0a0d0d0a { // pcapng Section Header Block
		r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, nil, err
		}
		return r, func(ci gopacket.CaptureInfo) layers.LinkType {
			if iface, err := r.Interface(ci.InterfaceIndex); err == nil {
				return iface.LinkType
			}
			return r.LinkType()
		}, nil
	}
	r, err := pcapgo.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, err
	}
	return r, func(gopacket.CaptureInfo) layers.LinkType { return r.LinkType() }, nil
}

// readSegments returns the TCP segments of one capture, in order.
func readSegments(t *testing.T, path string) []capturedSegment {
	t.Helper()
	r, linkType, err := openCapture(path)
	if err != nil {
		t.Fatalf("%s: open: %v", path, err)
	}
	var segs []capturedSegment
	for i := 1; ; i++ {
		data, ci, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: packet %d: read: %v", path, i, err)
		}
		if s, ok := findSegment(t, data, ci, linkType(ci)); ok {
			s.packet = i
			segs = append(segs, s)
		}
	}
	return segs
}

// findSegment decodes one captured frame with gopacket and returns its TCP
// segment, if it has one. The segment is the payload of the last layer
// (IPv4, IPv6 or an IPv6 extension header) whose next header is TCP; its
// addresses are those of the IP header at or before that layer. An IPv4
// fragment's next layer is not TCP, so fragments are skipped. A panic in
// the decoder fails the test instead of crashing it.
func findSegment(t *testing.T, data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) (s capturedSegment, ok bool) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("decoding a frame of %d bytes: panic: %v", len(data), p)
			ok = false
		}
	}()
	pkt := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{NoCopy: true})
	var (
		tcpLen       = -1 // TCP length the IPv4 header announces, or -1
		ipSrc, ipDst netip.Addr
		ipTCPLen     = -1
	)
	for _, l := range pkt.Layers() {
		switch ip := l.(type) {
		case *layers.IPv4:
			ipSrc, _ = netip.AddrFromSlice(ip.SrcIP)
			ipDst, _ = netip.AddrFromSlice(ip.DstIP)
			ipTCPLen = int(ip.Length) - int(ip.IHL)*4
		case *layers.IPv6:
			ipSrc, _ = netip.AddrFromSlice(ip.SrcIP)
			ipDst, _ = netip.AddrFromSlice(ip.DstIP)
			ipTCPLen = -1 // Metadata().Truncated covers IPv6
		}
		if n, isNext := l.(interface{ NextLayerType() gopacket.LayerType }); isNext && n.NextLayerType() == layers.LayerTypeTCP {
			s.seg, s.src, s.dst, tcpLen, ok = l.LayerPayload(), ipSrc, ipDst, ipTCPLen, true
		}
	}
	s.ci = ci
	s.complete = ci.CaptureLength >= ci.Length && !pkt.Metadata().Truncated && (tcpLen < 0 || tcpLen == len(s.seg))
	return s, ok
}

// checkSegment runs one captured segment through the codec and the
// checksum and counts the outcome. Only a parsed header that does not
// serialise back to its bytes fails the test; rejections, bad checksums and
// incomplete segments are counted and logged.
func checkSegment(t *testing.T, s capturedSegment, c *captureCounts, kinds map[OptionKind]int) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("packet %d: panic: %v", s.packet, p)
		}
	}()
	c.Segments++
	h, payload, err := ParseHeader(s.seg)
	if err != nil {
		c.Rejected++
		t.Logf("packet %d: rejected (%d bytes captured of %d): %v", s.packet, s.ci.CaptureLength, s.ci.Length, err)
		return
	}
	for k := range h.Options.All() {
		kinds[k]++
	}
	hl := len(s.seg) - len(payload)
	var buf [MaxHeaderLen]byte
	out, err := h.AppendTo(buf[:0])
	switch {
	case err != nil:
		t.Errorf("packet %d: parsed %v, but AppendTo failed: %v", s.packet, h.Flags, err)
		return
	case !bytes.Equal(out, s.seg[:hl]):
		t.Errorf("packet %d: round trip differs (-captured +serialised):\n%s", s.packet, cmp.Diff(s.seg[:hl], out))
		return
	}
	c.RoundTripped++
	if h.Reserved != 0 {
		c.Reserved++
		t.Logf("packet %d: %v with reserved bits %#x kept", s.packet, h.Flags, h.Reserved)
	}

	switch {
	case !s.complete:
		c.Incomplete++
		t.Logf("packet %d: %v segment incomplete in the capture (%d of %d bytes captured): checksum not checked",
			s.packet, h.Flags, s.ci.CaptureLength, s.ci.Length)
	case VerifyChecksum(s.src, s.dst, s.seg):
		c.ChecksumOK++
	default:
		c.BadChecksum++
		t.Logf("packet %d: %v %v -> %v: bad checksum %#04x, want %#04x: %s", s.packet, h.Flags, s.src, s.dst,
			h.Checksum, Checksum(s.src, s.dst, s.seg), badChecksumCause(h.Checksum, s.src, s.dst, s.seg))
	}
}

// badChecksumCause guesses why a captured checksum is wrong, for the log.
func badChecksumCause(got uint16, src, dst netip.Addr, seg []byte) string {
	switch {
	case got == 0:
		return "zero, left to checksum offload (captured before the NIC filled it in)"
	case got == fold(pseudoSum(src, dst, len(seg))):
		return "the pseudo-header sum alone, left to checksum offload (Linux CHECKSUM_PARTIAL)"
	}
	// The ones' complement difference; constant across a capture when
	// its addresses were rewritten without fixing the checksums.
	return fmt.Sprintf("off by %#04x in ones' complement", fold(uint64(got)+uint64(^Checksum(src, dst, seg))))
}
