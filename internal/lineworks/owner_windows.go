//go:build windows

package lineworks

import "os"

// ownedByMe: the per-user temporary directory on Windows is the user's own.
func ownedByMe(os.FileInfo) bool { return true }
