package lineworkstest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Through Transport, the emulator answers under the service's host names,
// over https with a certificate the transport trusts, and nothing else is
// reachable.
func TestTransportServesTheProductionHostNames(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: "a.txt", Content: []byte("x")})
	c := &http.Client{Transport: s.Transport(), CheckRedirect: noRedirect.CheckRedirect}
	r, err := fetch(c, newPost("https://auth.worksmobile.com/oauth2/v2.0/token", jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now())))))
	if err != nil || r.status != 200 {
		t.Fatalf("token: %v %d %s", err, r.status, r.raw)
	}
	access := r.body["access_token"].(string)

	r, err = fetch(c, newGet("https://www.worksapis.com/v1.0/bots/"+botID+"/attachments/"+fileID, access))
	if err != nil || r.status != 302 {
		t.Fatalf("API: %v %d", err, r.status)
	}
	loc, _ := url.Parse(r.header.Get("Location"))
	if loc.Scheme != "https" || loc.Host != "jp1-apis-storage.worksmobile.com" || !strings.HasPrefix(loc.Path, lineworkstest.SignedPathPrefix) {
		t.Errorf("Location %s, want the regional storage host", loc)
	}
	for _, u := range []string{loc.String(), "https://apis-storage.worksmobile.com" + lineworkstest.DerivedPath(fileID), "http://apis-storage.worksmobile.com" + lineworkstest.DerivedPath(fileID)} {
		if r, err := fetch(c, newGet(u, access)); err != nil || r.status != 200 || string(r.raw) != "x" {
			t.Errorf("%s: %v %d", u, err, r.status)
		}
	}
	for _, u := range []string{"https://example.com/", "https://worksmobile.com.evil.example/", "https://www.worksapis.com:8443/"} {
		if _, err := fetch(c, newGet(u, "")); err == nil {
			t.Errorf("%s was reachable", u)
		}
	}
	// The emulator's certificate is trusted by its transport only.
	if _, err := fetch(http.DefaultClient, newGet(strings.Replace(s.APIURL(), "http://", "https://", 1), "")); err == nil {
		t.Error("plain listener answered https")
	}
}
