package lineworks

// Writing an attachment to a file atomically: whole or not at all.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DownloadAttachmentToFile downloads an attachment to name with permission
// perm, creating missing directories. The file appears whole or not at all:
// the body goes to a temporary file beside name, which is synced and then
// renamed into place, so a failed download leaves an existing file untouched
// and nothing behind.
//
// Only a regular file is ever replaced: anything else at name (a directory,
// a symbolic link, a named pipe, a device such as /dev/null, a socket) is an
// *OutputPathError, before anything is sent and again just before the
// rename.
func (c *Client) DownloadAttachmentToFile(ctx context.Context, botID, fileID, name string, perm os.FileMode, maxSize int64) (att *Attachment, err error) {
	if err := checkOutputPath(name); err != nil {
		return nil, err
	}
	dir := filepath.Dir(name)
	created, err := mkdirAll(dir)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.partial")
	if err != nil {
		removeDirs(created)
		return nil, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			removeDirs(created)
		}
	}()
	if err = tmp.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return nil, err
	}
	// Writeback starts while the body streams in, so the Sync below only
	// waits for the tail instead of the whole file.
	if att, err = c.DownloadAttachment(ctx, botID, fileID, newWritebackWriter(tmp), maxSize); err != nil {
		return nil, err
	}
	if err = tmp.Sync(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", name, err)
	}
	if err = tmp.Close(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", name, err)
	}
	// Something may have appeared at name during the download.
	if err = checkOutputPath(name); err != nil {
		return nil, err
	}
	if err = os.Rename(tmp.Name(), name); err != nil {
		return nil, err
	}
	syncDir(dir)
	return att, nil
}

// OutputPathError reports a path to write a download to where something
// other than a regular file exists, which the download would replace.
type OutputPathError struct {
	Name string
	// Found says what is there, such as "a named pipe (FIFO)".
	Found string
}

func (e *OutputPathError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file: nothing was written, and it was left as it was. Give the path of a file to write (one that does not exist yet, or a regular file to replace)", e.Name, e.Found)
}

// checkOutputPath refuses name when something other than a regular file is
// there. A symbolic link is refused whatever it points to: the rename would
// replace the link, not what it points to.
func checkOutputPath(name string) error {
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode().IsRegular():
		return nil
	}
	return &OutputPathError{Name: name, Found: FileKind(name, fi.Mode())}
}

// FileKind names the kind of file at name that mode describes, for a
// message: "a directory", "a symbolic link (to …)", "a named pipe (FIFO)"…
func FileKind(name string, mode os.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&os.ModeSymlink != 0:
		if target, err := os.Readlink(name); err == nil {
			return fmt.Sprintf("a symbolic link (to %s)", target)
		}
		return "a symbolic link"
	case mode&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&os.ModeCharDevice != 0:
		return "a character device"
	case mode&os.ModeDevice != 0:
		return "a block device"
	case mode&os.ModeSocket != 0:
		return "a socket"
	case mode.IsRegular():
		return "a regular file"
	}
	return fmt.Sprintf("a special file (%v)", mode.Type())
}

// mkdirAll creates dir and its missing parents, and returns those it created,
// deepest first, so a failed download can remove them again.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return missing, nil
}

func removeDirs(dirs []string) {
	for _, d := range dirs {
		os.Remove(d) // only succeeds when empty, which is what we want
	}
}

// syncDir makes a rename durable; not every platform can sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
