//go:build linux

package tunpeer

// Packet loss made by iptables inside the namespace.
//
// Packets the kernel sends towards the peer leave through the OUTPUT
// chain; packets the peer writes to the TUN device arrive through INPUT.
// A DROP rule there loses a packet for real: the kernel's TCP never sees
// it, or never gets it onto the wire, exactly as on a lossy link. Each rule
// carries a comment with a unique tag, by which its counters are found.

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// Rule is an iptables rule added by AddRule.
type Rule struct {
	ns    *Namespace
	chain string
	spec  []string // everything after the chain name, the comment included
	tag   string
}

var ruleSeq atomic.Uint64

// AddRule appends a rule to chain ("INPUT" or "OUTPUT") of the filter
// table inside ns: spec is what follows `iptables -A CHAIN`, such as
// {"-p", "tcp", "-j", "DROP"}.
func AddRule(ns *Namespace, chain string, spec ...string) (*Rule, error) {
	tag := fmt.Sprintf("synfin-%d", ruleSeq.Add(1))
	r := &Rule{ns: ns, chain: chain, tag: tag,
		spec: append([]string{"-m", "comment", "--comment", tag}, spec...)}
	_, err := ns.Exec("iptables", append([]string{"-w", "-A", chain}, r.spec...)...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// String returns the rule as iptables -S would print it, less the comment.
func (r *Rule) String() string {
	return "-A " + r.chain + " " + strings.Join(r.spec[4:], " ")
}

// Delete removes the rule.
func (r *Rule) Delete() error {
	_, err := r.ns.Exec("iptables", append([]string{"-w", "-D", r.chain}, r.spec...)...)
	return err
}

// Packets returns how many packets the rule has matched: for a DROP rule,
// how many it dropped.
func (r *Rule) Packets() (uint64, error) {
	out, err := r.ns.Exec("iptables", "-w", "-S", r.chain, "-v")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(out) {
		// -A CHAIN ... --comment TAG ... -c PACKETS BYTES -j DROP
		f := strings.Fields(line)
		if !containsSeq(f, "--comment", r.tag) {
			continue
		}
		for i := 0; i+1 < len(f); i++ {
			if f[i] == "-c" {
				return strconv.ParseUint(f[i+1], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("tunpeer: no counters for rule %s in %s", r.tag, r.chain)
}

// containsSeq reports whether a and then b occur next to each other in f.
func containsSeq(f []string, a, b string) bool {
	for i := 0; i+1 < len(f); i++ {
		if f[i] == a && f[i+1] == b {
			return true
		}
	}
	return false
}

// DropFirst returns the iptables match that selects the first of the
// packets the rest of a rule selects, and no other: the statistic match in
// nth mode counts the packets that reach it and fires on every "every"-th,
// starting with the first when "packet" is 0; with every at a billion it
// never fires again.
func DropFirst() []string {
	return []string{"-m", "statistic", "--mode", "nth", "--every", "1000000000", "--packet", "0"}
}

// DropRandom returns the iptables match that selects each packet with
// probability p.
func DropRandom(p float64) []string {
	return []string{"-m", "statistic", "--mode", "random", "--probability", strconv.FormatFloat(p, 'f', -1, 64)}
}
