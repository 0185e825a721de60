//go:build unix

package lineworks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Only a regular file is ever replaced at the output path: a directory, a
// symbolic link (dangling or not), a named pipe and a device are refused
// before anything is sent, with an error that says what is there, and are
// left as they were. As root, output_path = "/dev/null" once replaced the
// device with a regular file.
func TestDownloadToFileReplacesOnlyARegularFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.txt")
	if err := os.WriteFile(target, []byte("the link's target"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nothing"), dangling); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		dir:      "a directory",
		fifo:     "a named pipe (FIFO)",
		link:     "a symbolic link (to " + target + ")",
		dangling: "a symbolic link (to " + filepath.Join(dir, "nothing") + ")",
	}
	// A device of this test's own, never /dev/null itself: were the check
	// broken, a test run as root would replace the machine's /dev/null.
	if device := filepath.Join(dir, "null"); runtime.GOOS == "linux" && os.Geteuid() == 0 {
		if err := unix.Mknod(device, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil { // major 1, minor 3: null
			t.Fatal(err)
		}
		cases[device] = "a character device"
	}
	f := newFixture(t)
	f.addReport()
	c := f.client(t)
	for name, found := range cases {
		before, _ := os.Lstat(name)
		_, err := c.DownloadAttachmentToFile(context.Background(), testBotID, testFileID, name, 0o600, 0)
		var pathErr *OutputPathError
		if !errors.As(err, &pathErr) || pathErr.Found != found || !strings.Contains(err.Error(), name+" is "+found+", not a regular file") {
			t.Errorf("%s: err = %v, want it named %s", name, err, found)
			continue
		}
		if after, _ := os.Lstat(name); after.Mode() != before.Mode() {
			t.Errorf("%s changed from %v to %v", name, before.Mode(), after.Mode())
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "the link's target" {
		t.Errorf("the link's target was written: %q", b)
	}
	if n := len(f.emu.Requests.All()); n != 0 {
		t.Errorf("%d requests sent for paths that cannot be written", n)
	}
}

// Something that appears at the output path while the file downloads is
// not replaced either: the path is checked again just before the rename,
// and the temporary file goes.
func TestDownloadToFileChecksThePathAgainBeforeTheRename(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	f.emu.Storage.HoldDownloads(2, time.Minute) // held until released below
	dir := t.TempDir()
	name := filepath.Join(dir, "report.pdf")
	done := make(chan error, 1)
	go func() {
		_, err := f.client(t).DownloadAttachmentToFile(context.Background(), testBotID, testFileID, name, 0o600, 0)
		done <- err
	}()
	waitFor(t, "the download to start", func() bool { return f.emu.Requests.Count(lineworkstest.HostStorage, "") > 0 })
	if err := unix.Mkfifo(name, 0o600); err != nil {
		t.Fatal(err)
	}
	f.emu.Storage.HoldDownloads(0, 0) // release it
	var pathErr *OutputPathError
	if err := <-done; !errors.As(err, &pathErr) || pathErr.Found != "a named pipe (FIFO)" {
		t.Fatalf("err = %v", err)
	}
	if fi, _ := os.Lstat(name); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", fi.Mode())
	}
	assertOnlyFiles(t, dir, "report.pdf")
}
