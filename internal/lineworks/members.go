package lineworks

// The users a bot is limited to in a domain (bot-domain-member-create,
// -list, -delete): meaningful only on a registration with
// allowToSelectedMember, which otherwise lets every user of the domain use
// the bot and lists "All users". Scope: bot; bot.read is enough for the list.
//
// What 404 means: on the list, the bot or its registration in the domain is
// gone (ErrNotRegistered), and on the delete, the member is gone, which is
// done, once calls that must succeed on a right endpoint confirm it (see
// confirmAbsent); at an endpoint that cannot be confirmed right, an
// *EndpointError (confirm.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// ErrAllUsers is returned (wrapped) when a registration is open to every
// user of its domain (allowToSelectedMember is false): LINE WORKS lists "All
// users" for it, and has no members to add or remove. Set
// allowToSelectedMember to choose members.
var ErrAllUsers = errors.New(`the bot's registration in the domain is open to all users (allowToSelectedMember is false), so it has no member list: LINE WORKS answers "All users"`)

// ErrNotRegistered is returned (wrapped) by ListBotDomainMembers when the
// bot is not registered in the domain, or no longer exists, as calls that
// must succeed on a right api_endpoint have just shown: the registration's
// members are gone with it. A 404 at an endpoint that could not be
// confirmed right is an *EndpointError instead (confirm.go).
var ErrNotRegistered = errors.New("the bot is not registered in the domain")

// allUsers is the member list's word for an unlimited registration.
const allUsers = "All users"

// AddBotDomainMember allows a user to use a bot in a domain where its
// registration is limited to selected members (POST
// /bots/{botId}/domains/{domainId}/members). userID is a user ID or a login
// ID (e-mail). A user who is a member already is not an error. On a
// registration open to all users the error wraps ErrAllUsers.
func (c *Client) AddBotDomainMember(ctx context.Context, botID, domainID int64, userID string) error {
	desc := fmt.Sprintf("allowing user %s to use bot %d in domain %d", userID, botID, domainID)
	if err := checkMember(domainID, userID); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	if err := checkBotID(botID); err != nil {
		return err
	}
	return c.withBotLock(ctx, botID, desc, func() error { return c.addMember(ctx, botID, domainID, userID, desc) })
}

// AddBotDomainMemberListed adds a member as AddBotDomainMember does, and
// returns the name LINE WORKS lists the member under: userID itself, or the
// user ID the service stored for a login e-mail, found as the one member
// the addition brought. It is "" when that cannot be told: the user was a
// member already, under another name. The lists and the addition run under
// the bot's lock, so that no other change of this client blurs the
// difference.
func (c *Client) AddBotDomainMemberListed(ctx context.Context, botID, domainID int64, userID string) (string, error) {
	desc := fmt.Sprintf("allowing user %s to use bot %d in domain %d", userID, botID, domainID)
	if err := checkMember(domainID, userID); err != nil {
		return "", fmt.Errorf("%s: %w", desc, err)
	}
	if err := checkBotID(botID); err != nil {
		return "", err
	}
	var listedAs string
	err := c.withBotLock(ctx, botID, desc, func() error {
		before, err := c.ListBotDomainMembers(ctx, botID, domainID)
		if err != nil {
			return err
		}
		if err := c.addMember(ctx, botID, domainID, userID, desc); err != nil {
			return err
		}
		after, err := c.ListBotDomainMembers(ctx, botID, domainID)
		if err != nil {
			return err
		}
		listedAs = listedName(userID, before, after)
		return nil
	})
	return listedAs, err
}

// listedName is how a member added as userID is listed, given the lists
// before and after the addition; "" when that cannot be told.
func listedName(userID string, before, after []string) string {
	if slices.Contains(after, userID) {
		return userID
	}
	var added []string
	for _, m := range after {
		if !slices.Contains(before, m) {
			added = append(added, m)
		}
	}
	if len(added) == 1 {
		return added[0]
	}
	return ""
}

// addMember sends the addition, with the bot's lock held.
func (c *Client) addMember(ctx context.Context, botID, domainID int64, userID, desc string) error {
	// Adding a member twice leaves one member, so a retry is harmless.
	err := c.sendChange(ctx, botID, apiCall{method: http.MethodPost, segments: membersPath(botID, domainID), body: map[string]string{"userId": userID}})
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict && strings.HasPrefix(apiErr.Code, "ALREADY_EXIST"):
		c.cfg.Logger.Debug(ctx, "the user already may use the LINE WORKS bot in the domain", map[string]any{"bot_id": botID, "domain_id": domainID})
		return nil
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest:
		return c.explainMemberRefusal(ctx, botID, domainID, desc, apiErr, fmt.Errorf("%s: %w", desc, err))
	case err != nil:
		return fmt.Errorf("%s: %w", desc, err)
	}
	return nil
}

// ListBotDomainMembers returns the users allowed to use a bot in a domain
// (GET /bots/{botId}/domains/{domainId}/members), following nextCursor. A
// registration open to all users is an error wrapping ErrAllUsers; one that
// is gone, or whose bot is, an error wrapping ErrNotRegistered.
func (c *Client) ListBotDomainMembers(ctx context.Context, botID, domainID int64) ([]string, error) {
	desc := fmt.Sprintf("listing the users of bot %d in domain %d", botID, domainID)
	if err := checkBotID(botID); err != nil {
		return nil, err
	}
	if err := checkDomainID(domainID); err != nil {
		return nil, err
	}
	// A page reader of its own: the "All users" answer may not be a list at all.
	all, err := listPages(ctx, c, listing[string]{key: "members", segments: membersPath(botID, domainID), count: pageSize, parse: parseMembersPage})
	if IsNotFound(err) {
		return nil, c.confirmAbsent(ctx, botID, desc, fmt.Errorf("%s: %w", desc, err), ErrNotRegistered)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}
	return all, nil
}

// parseMembersPage reads one page of the member list. The docs say an
// unlimited registration "returns "All users"" without showing the JSON, so
// every plausible form is read as that: the bare string, a members field
// holding the string, or a members list holding only it.
func parseMembersPage(raw json.RawMessage) (members []string, next string, err error) {
	isAllUsers := func(v json.RawMessage) (bool, error) {
		if !isJSONString(v) {
			return false, nil // a list, or nothing: read as one below
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return false, fmt.Errorf("reading the member list from the answer: %w", err)
		}
		if strings.EqualFold(strings.TrimSpace(s), allUsers) {
			return true, nil
		}
		return false, fmt.Errorf("LINE WORKS answered %q instead of a member list", serviceText(s, nil))
	}
	if all, err := isAllUsers(raw); all || err != nil {
		return nil, "", allUsersOr(all, err)
	}
	var page struct {
		Members          json.RawMessage `json:"members"`
		ResponseMetaData struct {
			NextCursor string `json:"nextCursor"`
		} `json:"responseMetaData"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, "", fmt.Errorf("reading the member list from the answer: %w", err)
	}
	if all, err := isAllUsers(page.Members); all || err != nil {
		return nil, "", allUsersOr(all, err)
	}
	if len(page.Members) > 0 {
		if err := json.Unmarshal(page.Members, &members); err != nil {
			return nil, "", fmt.Errorf("reading members from the answer: %w", err)
		}
	}
	if len(members) == 1 && strings.EqualFold(members[0], allUsers) {
		return nil, "", ErrAllUsers
	}
	return members, page.ResponseMetaData.NextCursor, nil
}

// isJSONString reports whether v is a JSON string.
func isJSONString(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '"'
}

func allUsersOr(all bool, err error) error {
	if all {
		return ErrAllUsers
	}
	return err
}

// DeleteBotDomainMember takes away a user's permission to use a bot in a
// domain (DELETE /bots/{botId}/domains/{domainId}/members/{userId}). A user
// who is not a member, or a registration or bot already gone, is not an
// error. On a registration open to all users the error wraps ErrAllUsers.
func (c *Client) DeleteBotDomainMember(ctx context.Context, botID, domainID int64, userID string) error {
	desc := fmt.Sprintf("removing user %s from the users of bot %d in domain %d", userID, botID, domainID)
	if err := checkMember(domainID, userID); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	err := c.mutateBot(ctx, botID, desc, apiCall{method: http.MethodDelete, segments: append(membersPath(botID, domainID), userID)})
	var apiErr *APIError
	switch {
	case IsNotFound(err):
		return c.alreadyGone(ctx, botID, desc, err)
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest:
		return c.explainMemberRefusal(ctx, botID, domainID, desc, apiErr, err)
	}
	return err
}

// explainMemberRefusal looks for the cause of a 400 to a member change,
// whose code the docs do not give: a registration open to all users.
func (c *Client) explainMemberRefusal(ctx context.Context, botID, domainID int64, desc string, apiErr *APIError, err error) error {
	if d, gerr := c.GetBotDomain(ctx, botID, domainID); gerr == nil && !d.AllowToSelectedMember {
		return fmt.Errorf("%s: %w (%w)", desc, ErrAllUsers, apiErr)
	}
	return err
}

func checkMember(domainID int64, userID string) error {
	if err := checkDomainID(domainID); err != nil {
		return err
	}
	return ValidateUserID(userID)
}

func membersPath(botID, domainID int64) []string {
	return append(botDomainPath(botID, domainID), "members")
}
