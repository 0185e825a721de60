package lineworkstest

// A host that hangs half-way (Faults.StallAfterHeaders): its answers send
// their status line and headers, then nothing.

import (
	"fmt"
	"net/http"
	"slices"
)

// checkStallHosts refuses a host name StallAfterHeaders cannot name.
func checkStallHosts(hosts []string) error {
	for _, h := range hosts {
		if h != HostAuth && h != HostAPI && h != HostStorage {
			return fmt.Errorf("faults: stall_after_headers names %q; the hosts are %q, %q and %q", h, HostAuth, HostAPI, HostStorage)
		}
	}
	return nil
}

// stalling wraps the handler of host so that, while StallAfterHeaders
// names host, every answer stalls once its headers are sent.
func (fi *FaultInjector) stalling(host string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fi.mu.Lock()
		stall := slices.Contains(fi.faults.f.StallAfterHeaders, host)
		fi.mu.Unlock()
		if stall {
			w = &stallWriter{ResponseWriter: w, r: r, closed: fi.closed}
		}
		h.ServeHTTP(w, r)
	})
}

// stallWriter sends the status line and headers it is given, then holds
// the body back: it blocks until the client goes away or the emulator
// closes, and discards what the handler writes after that.
type stallWriter struct {
	http.ResponseWriter
	r       *http.Request
	closed  <-chan struct{}
	stalled bool
}

func (w *stallWriter) WriteHeader(code int) {
	if w.stalled {
		return
	}
	w.stalled = true
	w.ResponseWriter.WriteHeader(code)
	_ = http.NewResponseController(w.ResponseWriter).Flush()
	select {
	case <-w.r.Context().Done():
	case <-w.closed:
	}
}

func (w *stallWriter) Write(p []byte) (int, error) {
	if !w.stalled {
		w.WriteHeader(http.StatusOK)
	}
	return len(p), nil // never sent
}

// Flush after the stall sends nothing more.
func (w *stallWriter) Flush() {
	if !w.stalled {
		w.WriteHeader(http.StatusOK)
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *stallWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
