package lineworks

import (
	"os"

	"golang.org/x/sys/unix"
)

// writebackChunk is how much is written before the kernel is asked to start
// writing it out.
const writebackChunk = 8 << 20

// writebackWriter writes to a file, and every writebackChunk bytes asks the
// kernel to start writing the new data out (sync_file_range with
// SYNC_FILE_RANGE_WRITE, which does not wait). The final fsync then only has
// the tail left to wait for, instead of the whole file. Durability still
// comes from that fsync alone; this only moves the disk work earlier, so it
// overlaps the download.
type writebackWriter struct {
	f             *os.File
	written, sent int64
}

func newWritebackWriter(f *os.File) *writebackWriter { return &writebackWriter{f: f} }

func (w *writebackWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if w.written-w.sent >= writebackChunk {
		if rc, rerr := w.f.SyscallConn(); rerr == nil {
			off, size := w.sent, w.written-w.sent
			_ = rc.Control(func(fd uintptr) {
				// Advisory: an error (e.g. ENOSYS, EINVAL on some file systems) is ignored.
				// x/sys, not syscall: linux/arm needs sync_file_range2.
				_ = unix.SyncFileRange(int(fd), off, size, unix.SYNC_FILE_RANGE_WRITE)
			})
		}
		w.sent = w.written
	}
	return n, err
}
