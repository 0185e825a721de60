// Package lineworks is a small client for the LINE WORKS authentication and bot APIs.
//
// It signs JWT assertions, issues and caches API 2.0 access tokens, retries
// what the service asks to be retried, and downloads bot attachments past the
// cross-domain redirect that makes other HTTP clients drop the Authorization
// header. It knows nothing about Terraform: the provider in internal/provider
// only converts between Terraform values and the calls here.
package lineworks
