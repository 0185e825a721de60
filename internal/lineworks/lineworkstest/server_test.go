package lineworkstest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Requests from many goroutines at once, for the race detector.
func TestConcurrentUse(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Size: 10 << 10})
	var wg sync.WaitGroup
	assertion := sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now()))
	for i := range 8 {
		wg.Go(func() {
			r, err := fetch(noRedirect, newPost(tokenURL(s), jwtForm(assertion)))
			if err != nil || r.status != 200 {
				t.Errorf("token: %d %v", r.status, err)
				return
			}
			access, refresh := r.body["access_token"].(string), r.body["refresh_token"].(string)
			for _, req := range []*http.Request{
				newGet(attachmentURL(s, botID, fileID), access),
				newGet(s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", access),
				newPost(tokenURL(s), refreshForm(refresh)),
			} {
				if _, err := fetch(http.DefaultClient, req); err != nil {
					t.Error(err)
				}
			}
			if i%2 == 0 {
				s.Auth.ExpireAccessTokens()
				s.Faults.RateLimitNext(1, 1)
			}
			s.Requests.All()
			s.Auth.TokenValid(access)
		})
	}
	wg.Wait()
}
