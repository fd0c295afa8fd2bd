/**
 * Who may call this node and how often. Transport: TLS on the HTTP port from PEM files (reloaded when they change),
 * mutual TLS between nodes with a cluster CA, and who a caller is as far as its connection can tell
 * ({@link io.coedge.security.PeerIdentity}). Callers: API keys (salted hashes, reloadable key file) and JWT bearer
 * tokens mapped to scopes and per-model allow-lists, per-caller token buckets, and the request gate mounted first
 * in the router. Models: signed manifests of version folders (Ed25519) and the sign-model tool.
 */
package io.coedge.security;
