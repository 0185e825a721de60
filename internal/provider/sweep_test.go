package provider

import (
	"context"
	"errors"
	"log"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

// make sweep: go test -sweep=tenant deletes, from the tenant of
// LINEWORKS_ACC_REAL=1, every bot named with the tf-acc- prefix, which is
// what the acceptance tests and make contract create, and nothing else.
// Deleting a bot takes its registrations, secret and rich menus with it.
func init() {
	resource.AddTestSweepers("lineworks_bot", &resource.Sweeper{Name: "lineworks_bot", F: sweepBots})
}

// sweepBots is the sweeper; region is the -sweep value, which names no
// region here (a tenant has one).
func sweepBots(string) error {
	if accTenant == nil {
		return errors.New("the sweeper deletes bots from the tenant the LINEWORKS_* variables point at: set " + envAccReal + "=1 with them")
	}
	c, err := accTenant.settings.Client("terraform-provider-lineworks-sweeper")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	log.Printf("sweeping bots named %s… from %s", realtenant.Prefix, accTenant.settings)
	deleted, err := realtenant.Sweep(ctx, c, log.Printf)
	log.Printf("deleted %d bots named %s…", len(deleted), realtenant.Prefix)
	return err
}
