//go:build !linux

package lineworks

import (
	"io"
	"os"
)

// newWritebackWriter is the file itself where sync_file_range does not exist.
func newWritebackWriter(f *os.File) io.Writer { return f }
