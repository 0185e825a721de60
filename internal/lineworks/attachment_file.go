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
func (c *Client) DownloadAttachmentToFile(ctx context.Context, botID, fileID, name string, perm os.FileMode, maxSize int64) (att *Attachment, err error) {
	if fi, statErr := os.Stat(name); statErr == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory; give the path of the file to write", name)
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
	if err = os.Rename(tmp.Name(), name); err != nil {
		return nil, err
	}
	syncDir(dir)
	return att, nil
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
