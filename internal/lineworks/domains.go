package lineworks

// A bot's registrations in domains (/bots/{botId}/domains): a bot belongs to
// the tenant, and each domain that uses it registers it.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// BotDomainSettings is how a bot is offered in one domain.
type BotDomainSettings struct {
	Visible               bool `json:"visible"`
	AllowToSelectedMember bool `json:"allowToSelectedMember"`
}

// BotDomain is a bot's registration in a domain.
type BotDomain struct {
	DomainID int64 `json:"domainId"`
	BotDomainSettings
}

// RegisterBotDomain registers a bot in a domain (POST /bots/{botId}/domains/{domainId}).
// A domain the bot's allowDomains leaves out is a *DomainNotAllowedError.
func (c *Client) RegisterBotDomain(ctx context.Context, botID, domainID int64, s BotDomainSettings) (*BotDomain, error) {
	d, err := c.putBotDomain(ctx, http.MethodPost, fmt.Sprintf("registering bot %d in domain %d", botID, domainID), botID, domainID, s)
	if err != nil {
		return nil, c.domainNotAllowed(ctx, botID, domainID, err)
	}
	return d, nil
}

// domainNotAllowed tells a registration refused for a domain outside the
// bot's allowDomains from other refusals. The service answers 400 with a
// code it does not document, so a 400 is checked against the bot as it is
// now; any other error, or a bot that allows the domain, stays as it was.
func (c *Client) domainNotAllowed(ctx context.Context, botID, domainID int64, err error) error {
	if apiStatus(err) != http.StatusBadRequest {
		return err
	}
	bot, getErr := c.GetBot(ctx, botID)
	if getErr != nil || bot.AllowDomains == nil || slices.Contains(bot.AllowDomains, domainID) {
		return err
	}
	return &DomainNotAllowedError{BotID: botID, DomainID: domainID, AllowDomains: bot.AllowDomains, Err: err}
}

// UpdateBotDomain replaces a registration's settings (PUT /bots/{botId}/domains/{domainId}).
func (c *Client) UpdateBotDomain(ctx context.Context, botID, domainID int64, s BotDomainSettings) (*BotDomain, error) {
	return c.putBotDomain(ctx, http.MethodPut, fmt.Sprintf("updating the registration of bot %d in domain %d", botID, domainID), botID, domainID, s)
}

func (c *Client) putBotDomain(ctx context.Context, method, desc string, botID, domainID int64, s BotDomainSettings) (*BotDomain, error) {
	if err := checkDomainID(domainID); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	err := c.mutateBot(ctx, botID, desc, apiCall{method: method, segments: botDomainPath(botID, domainID), body: s, out: &raw})
	if err != nil {
		return nil, err
	}
	return c.registrationAnswer(ctx, desc, botID, domainID, s, raw)
}

// registrationAnswer is the registration that a write answered with raw:
// the answer when it holds the settings (the documented answer), and
// otherwise (no body: a write "usually" returns the object, says the API's
// general page) the registration listed again, or, when that fails, as
// sent. A domainId other than domainID is an error.
func (c *Client) registrationAnswer(ctx context.Context, desc string, botID, domainID int64, s BotDomainSettings, raw json.RawMessage) (*BotDomain, error) {
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(raw, &fields)
	var d BotDomain
	if fields["visible"] != nil && fields["allowToSelectedMember"] != nil {
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("%s: reading the answer: %w", desc, err)
		}
	} else {
		readCtx, cancel := afterAnswer(ctx, c.cfg.RequestTimeout)
		defer cancel()
		listed, err := c.GetBotDomain(readCtx, botID, domainID)
		if err != nil {
			c.cfg.Logger.Warn(ctx, "the LINE WORKS registration was written, but could not be listed again; taking it as sent", map[string]any{"bot_id": botID, "domain_id": domainID, "error": err.Error()})
			listed = &BotDomain{DomainID: domainID, BotDomainSettings: s}
		}
		d = *listed
	}
	switch d.DomainID {
	case 0: // the documented answer carries it; do not depend on that
		d.DomainID = domainID
	case domainID:
	default:
		return nil, fmt.Errorf("%s: LINE WORKS answered with domainId %d, not %d; nothing was taken from the answer", desc, d.DomainID, domainID)
	}
	return &d, nil
}

// DeleteBotDomain removes a bot from a domain (DELETE
// /bots/{botId}/domains/{domainId}). A registration already gone, or a bot
// already gone, is not an error.
func (c *Client) DeleteBotDomain(ctx context.Context, botID, domainID int64) error {
	if err := checkDomainID(domainID); err != nil {
		return err
	}
	err := c.mutateBot(ctx, botID, fmt.Sprintf("removing bot %d from domain %d", botID, domainID), apiCall{method: http.MethodDelete, segments: botDomainPath(botID, domainID)})
	if IsNotFound(err) {
		c.cfg.Logger.Debug(ctx, "the LINE WORKS bot registration to delete was already gone", map[string]any{"bot_id": botID, "domain_id": domainID})
		return nil
	}
	return err
}

// ListBotDomains returns every registration of a bot, following nextCursor.
func (c *Client) ListBotDomains(ctx context.Context, botID int64) ([]BotDomain, error) {
	if err := checkBotID(botID); err != nil {
		return nil, err
	}
	// Shared with the other readers of this bot until it changes (readshare.go).
	raw, err := c.reads.read(ctx, botID, sharedDomains, func(ctx context.Context) ([]byte, error) {
		domains, err := listAll[BotDomain](ctx, c, "domains", append(botPath(botID), "domains")...)
		if err != nil {
			return nil, err
		}
		return json.Marshal(domains)
	})
	if err != nil {
		return nil, fmt.Errorf("listing the domains of bot %d: %w", botID, err)
	}
	var domains []BotDomain
	if err := json.Unmarshal(raw, &domains); err != nil {
		return nil, fmt.Errorf("listing the domains of bot %d: %w", botID, err)
	}
	return domains, nil
}

// GetBotDomain finds one registration by listing (there is no GET for one).
// A registration or bot that does not exist is an error for which IsNotFound
// is true.
func (c *Client) GetBotDomain(ctx context.Context, botID, domainID int64) (*BotDomain, error) {
	if err := checkDomainID(domainID); err != nil {
		return nil, err
	}
	domains, err := c.ListBotDomains(ctx, botID)
	if err != nil {
		return nil, err
	}
	for _, d := range domains {
		if d.DomainID == domainID {
			return &d, nil
		}
	}
	return nil, &APIError{
		StatusCode:  http.StatusNotFound,
		Code:        "NOT_FOUND",
		Description: fmt.Sprintf("bot %d is not registered in domain %d", botID, domainID),
		Host:        c.eps.api.Host,
	}
}

func checkDomainID(domainID int64) error {
	if domainID <= 0 {
		return fmt.Errorf("%d is not a LINE WORKS domain ID: domain IDs are positive integers such as 10000001", domainID)
	}
	return nil
}

func botDomainPath(botID, domainID int64) []string {
	return append(botPath(botID), "domains", strconv.FormatInt(domainID, 10))
}
