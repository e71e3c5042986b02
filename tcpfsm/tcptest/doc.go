// Package tcptest holds what the tests of tcpfsm, model/tcpworld,
// model/cmd/tcpcheck, proptest and tcpfsm/tunpeer share about variants of
// the TCP table spec/tcp.fsm: one named list of broken tables (Broken),
// each a mistake a user could make in the table, ending with those only
// model/tcpworld's judgement of each step against RFC 9293 catches
// (BrokenRFC), and the two harmless variants
// the tests compare against (the table as written, and its rows in
// reverse order).
//
// A variant is spec/tcp.fsm with edits applied to its parsed rows
// (spec.Machine), never to its text: an edit names the (state, event,
// guards) it changes, such as "replace the rows that decide (TIME-WAIT,
// timeout-2msl) with `TIME-WAIT timeout-2msl stay : arm-2msl`" or
// "remove action send-fin from the row that decides (CLOSE-WAIT,
// close)". The edited machine is written out as table text and parsed
// again, so every variant is a valid table (spec.Parse validates it), and
// the layout of spec/tcp.fsm is free to change. A variant's text, machine,
// or tcpfsm.Table (for Endpoint.UseTable and tcpworld.Config.Table) is one
// call away; tcpcheck's tests write the text to a file for its -spec flag.
package tcptest
