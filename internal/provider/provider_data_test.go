package provider

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The client logs from several goroutines with one operation's context (a
// list resource reads bots ahead, ten at a time). tflog masks field values
// by writing into the logger's fields map, so each line must have a logger
// of its own, or the process crashes ("concurrent map iteration and map
// write"); run with -race, this test sees it.
func TestClientLogLinesFromManyGoroutines(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	ctx = tflog.SetField(ctx, "tf_resource_type", "lineworks_bot")
	ctx = (&providerData{secrets: []string{"s3cr3t"}}).logContext(ctx)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				tflogLogger{}.Debug(ctx, "LINE WORKS request", map[string]any{"url": "https://www.worksapis.com/v1.0/bots/2000001", "token": "s3cr3t"})
			}
		})
	}
	wg.Wait()
	if bytes.Contains(out.Bytes(), []byte("s3cr3t")) || !bytes.Contains(out.Bytes(), []byte("LINE WORKS request")) {
		t.Fatalf("the log holds the secret, or nothing:\n%.500s", out.String())
	}
}
