package lineworks

import "testing"

func TestCallbackSignatureMatchesAnIndependentComputation(t *testing.T) {
	// python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"bot-secret", b"{\"type\":\"message\"}", hashlib.sha256).digest()).decode())'
	const want = "rSJpZpZ4fCBraOMT3gA3UdGodPIx0gPEPkL6S8ECOI0="
	if got := CallbackSignature([]byte(`{"type":"message"}`), "bot-secret"); got != want {
		t.Errorf("CallbackSignature = %s, want %s", got, want)
	}
}
