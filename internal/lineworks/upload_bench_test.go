package lineworks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkUploadFile uploads a 64 MiB file to a transport that discards it,
// so that B/op counts the client alone: it stays a small fraction of the
// file, as the file is streamed from disk, never held whole.
//
//	go test -run '^$' -bench UploadFile -benchmem ./internal/lineworks/
func BenchmarkUploadFile(b *testing.B) {
	const size = 64 << 20
	path := filepath.Join(b.TempDir(), "big.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Truncate(size); err != nil { // sparse: no disk, reads as zeros
		b.Fatal(err)
	}
	f.Close()

	var received int64
	c, err := New(Config{
		AccessToken:     "bench-token",
		APIEndpoint:     "http://127.0.0.1:1/v1.0",
		StorageEndpoint: "http://127.0.0.1:1",
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.URL.Path, "/attachments") {
				return jsonResponse(r, http.StatusOK, fmt.Sprintf(`{"fileId":%q,"uploadUrl":"http://127.0.0.1:1/k/emsg/r/jp1/x/big.bin"}`, testFileID)), nil
			}
			n, err := io.Copy(io.Discard, r.Body)
			received = n
			return jsonResponse(r, http.StatusOK, `{}`), err
		}),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		up, err := c.UploadFile(context.Background(), 2000001, path, "")
		if err != nil || up.Size != size || received <= size {
			b.Fatalf("%+v, %d bytes received, %v", up, received, err)
		}
	}
}
