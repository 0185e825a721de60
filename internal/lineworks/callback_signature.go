package lineworks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// CallbackSignature is the X-WORKS-Signature LINE WORKS sends with a callback:
// base64(HMAC-SHA256(key = bot secret, message = the raw body)).
func CallbackSignature(body []byte, botSecret string) string {
	mac := hmac.New(sha256.New, []byte(botSecret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
