package lineworks

// Copying an attachment's body to the caller's writer while hashing and
// counting it: inline for small bodies, pipelined for large ones, with
// memory flat whatever the size.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	"net/http"
)

// copyBufferSize is the unit a download is streamed in: large enough for
// loopback and LAN throughput, small enough that memory stays flat.
const copyBufferSize = 256 << 10

// stream copies the body into w, hashing and counting on the way, and checks
// it against the announced length and maxSize.
// A stalled body is cut by the client's stallTransport.
func stream(resp *http.Response, w io.Writer, maxSize int64) (*Attachment, error) {
	if maxSize > 0 && resp.ContentLength > maxSize {
		return nil, &SizeLimitError{Limit: maxSize}
	}
	h := sha256.New()
	var src io.Reader = resp.Body
	if maxSize > 0 && maxSize < math.MaxInt64 { // no body can be longer than MaxInt64
		// One byte past the limit tells a body of exactly maxSize from a longer one.
		src = io.LimitReader(src, maxSize+1)
	}
	n, err := copyHashing(w, h, src, resp.ContentLength)
	if err != nil {
		return nil, &IncompleteDownloadError{Received: n, Expected: resp.ContentLength, Err: err}
	}
	if maxSize > 0 && n > maxSize {
		return nil, &SizeLimitError{Limit: maxSize}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return nil, &IncompleteDownloadError{Received: n, Expected: resp.ContentLength}
	}
	return &Attachment{
		Size:        n,
		SHA256:      hex.EncodeToString(h.Sum(nil)),
		ContentType: resp.Header.Get("Content-Type"),
		FileName:    fileNameFrom(resp.Header.Get("Content-Disposition")),
	}, nil
}

// copyHashing copies src, announced as size bytes (-1 if unknown), to w and h.
// Write errors are reported as such, so a full disk is not mistaken for a
// network failure.
func copyHashing(w io.Writer, h hash.Hash, src io.Reader, size int64) (int64, error) {
	if size >= 0 && size <= pipelineThreshold {
		// Small: one buffer no larger than the body, hashed inline.
		return copyHashingInline(w, h, src, make([]byte, max(min(size, copyBufferSize), 512)))
	}
	return copyHashingPipelined(w, h, src)
}

func copyHashingInline(w io.Writer, h hash.Hash, src io.Reader, buf []byte) (int64, error) {
	var n int64
	for {
		m, rerr := src.Read(buf)
		if m > 0 {
			h.Write(buf[:m])
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, fmt.Errorf("writing: %w", werr)
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// pipelineThreshold is the announced size above which a body is hashed in a
// goroutine of its own, overlapping the network reads and the file writes.
const pipelineThreshold = 4 << 20

// pipelineBuffers is how many copyBufferSize buffers a pipelined copy uses:
// the reader may run that far ahead of the hasher.
const pipelineBuffers = 4

// copyHashingPipelined is copyHashingInline with the hashing moved to another
// goroutine: this one reads and writes, the other hashes the same buffers
// behind it. Memory stays bounded at pipelineBuffers × copyBufferSize.
func copyHashingPipelined(w io.Writer, h hash.Hash, src io.Reader) (int64, error) {
	free := make(chan []byte, pipelineBuffers)
	for range pipelineBuffers {
		free <- make([]byte, copyBufferSize)
	}
	toHash := make(chan []byte, pipelineBuffers)
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		for b := range toHash {
			h.Write(b)
			free <- b[:cap(b)]
		}
	}()
	// The hasher is done with h before the caller reads the sum.
	defer func() { close(toHash); <-hashed }()
	var n int64
	for {
		buf := <-free
		m, rerr := src.Read(buf)
		if m > 0 {
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, fmt.Errorf("writing: %w", werr)
			}
			n += int64(m)
			toHash <- buf[:m]
		} else {
			free <- buf
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}
