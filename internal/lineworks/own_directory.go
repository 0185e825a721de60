package lineworks

import (
	"errors"
	"fmt"
	"os"
)

// ownDirectory makes dir, readable by its owner only, and refuses one that
// another user could write to. The bots' lock files and the bot secret
// records live there: whoever could write in it could hold a bot's lock
// for good, or stop a destroy from retiring a secret.
func ownDirectory(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Lstat(dir)
	switch {
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	case fi.Mode().Perm()&0o022 != 0 || !ownedByMe(fi):
		return errors.New(dir + " may be written by other users")
	}
	return nil
}
