package lineworks

import (
	"context"
	"errors"
	"io"
	"time"
)

// errStalled is the cause a stallReader cancels its request with.
var errStalled = errors.New("no data arrived within the request timeout")

// stallReader cancels the request when a single Read waits longer than
// timeout. Unlike http.Client.Timeout it never cuts a download that keeps
// making progress, and time spent writing does not count.
type stallReader struct {
	r       io.Reader
	timeout time.Duration
	cancel  context.CancelCauseFunc
	timer   *time.Timer
}

func (s *stallReader) Read(p []byte) (int, error) {
	if s.timer == nil {
		s.timer = time.AfterFunc(s.timeout, func() { s.cancel(errStalled) })
	} else {
		s.timer.Reset(s.timeout)
	}
	n, err := s.r.Read(p)
	s.timer.Stop()
	return n, err
}
