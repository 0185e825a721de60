//go:build unix

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"golang.org/x/sys/unix"
)

// A named pipe at output_path is refused during plan, on output_path, with
// what is there, and left a pipe; nothing is downloaded.
func TestAccBotAttachment_outputPathMustBeARegularFile(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "minutes.pdf")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.pdf")
	if err := os.Symlink(filepath.Join(dir, "elsewhere.pdf"), link); err != nil {
		t.Fatal(err)
	}
	env.test(t,
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID, fmt.Sprintf("output_path = %q", fifo)),
			ExpectError: errorText("Cannot write the LINE WORKS attachment to output_path", fifo+" is a named pipe (FIFO), not a regular file", "Give the path of a file to write"),
		},
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID, fmt.Sprintf("output_path = %q", link)),
			ExpectError: errorText(link + " is a symbolic link (to " + filepath.Join(dir, "elsewhere.pdf") + "), not a regular file"),
		},
	)
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe is gone: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "elsewhere.pdf")); err == nil {
		t.Error("the link's target was written")
	}
}
