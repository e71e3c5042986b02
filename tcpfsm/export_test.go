package tcpfsm

import "testing"

// Hooks into the Endpoint's internals for the tests of package
// tcpfsm_test, which build their Endpoints with the shared harness there.

// CheckPrediction is checkPrediction (predict_test.go).
func CheckPrediction(t *testing.T, e *Endpoint, seg Segment) bool { return checkPrediction(t, e, seg) }

// Synchronized reports whether e is in a synchronized state.
func Synchronized(e *Endpoint) bool { return e.synchronized() }

// ZeroRcvWnd makes e offer a zero receive window, which Config cannot ask
// for.
func ZeroRcvWnd(e *Endpoint) { e.cfg.RcvWnd = 0 }
