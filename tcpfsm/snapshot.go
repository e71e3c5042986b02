package tcpfsm

// A Snapshot is an Endpoint's connection without its Config and variant
// table: state, sequence variables, flags, timers armed, stream offsets.
// It is a comparable value of 80 bytes with no pointers (an Endpoint is
// 160), for programs that keep many connections of one configuration: a
// model checker's states, a middlebox's connection table. Two Endpoints
// with the same Config and table are in the same state exactly when their
// Snapshots are equal. It has the Endpoint's read-only methods (State,
// SndUna, Armed, CheckInvariants, ...) except those that need the Config,
// and React, which reads it under the Config of an Endpoint.
type Snapshot struct {
	conn
}

// Snapshot returns the Endpoint's connection.
func (e *Endpoint) Snapshot() Snapshot {
	return Snapshot{e.conn}
}

// Restore puts the connection s back into e, which keeps its own Config
// and variant table: s must come from an Endpoint with the same Config,
// or the restored connection is not the one snapshotted (its retry
// limits and timer durations are e's).
func (e *Endpoint) Restore(s Snapshot) {
	e.ready()
	e.conn = s.conn
}

// ISS returns the initial send sequence number of the connection, or 0
// before its SYN is sent (the configured ISS is not in a Snapshot).
func (s *Snapshot) ISS() Seq { return s.iss }

// Canonical returns s without the record of which segment last updated
// the send window: SND.WL1 and SND.WL2 (RFC 9293 section 3.10.7.4,
// fifth), zeroed. They decide only whether a later segment's window
// replaces SND.WND, so while the peer offers the same window in every
// segment, as most peers do for long stretches, they change nothing the
// connection will do, yet they tell apart connections that differ only
// in which of two equal ACKs came last. Canonical snapshots are the key
// for hashing or comparing connections by what they will do: two
// connections of one Config whose Canonical snapshots are equal answer
// every call and segment alike, up to the same zeroing, as long as the
// peer's window stays constant.
func (s Snapshot) Canonical() Snapshot {
	s.sndWl1, s.sndWl2 = 0, 0
	return s
}
