package lineworks

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// A file ID is dot-separated words, e.g. jp1.1628695315008671000.1628781715.0.1000001.0.0.0.
// Nothing else is accepted, so no ID can climb to another path ("..", "/").
var fileIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$`)

// ValidateFileID checks that id has the shape of a LINE WORKS file ID.
func ValidateFileID(id string) error {
	if !fileIDPattern.MatchString(id) {
		return fmt.Errorf("%q is not a LINE WORKS file ID: expected words of letters, digits, '-' or '_' separated by single dots, such as jp1.1628695315008671000.1628781715.0.1000001.0.0.0 (no '/', no '..')", id)
	}
	return nil
}

// AttachmentURL derives the storage URL of a bot attachment from its file ID,
// as the LINE WORKS community found it: the first dot-separated segment, then
// the rest, then a trailing slash. For jp1.1628695315008671000.1628781715.0.1000001.0.0.0:
//
//	{storage}/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/
func AttachmentURL(storageEndpoint, fileID string) (string, error) {
	if err := ValidateFileID(fileID); err != nil {
		return "", err
	}
	base, err := ParseEndpoint(storageEndpoint)
	if err != nil {
		return "", err
	}
	return attachmentURL(base, fileID).String(), nil
}

func attachmentURL(storage *url.URL, fileID string) *url.URL {
	region, rest, _ := strings.Cut(fileID, ".")
	return joinEscaped(storage, "k", "emsg", "r", region, rest, "")
}
