/**
 * Who may call this node and how often: API keys (salted hashes, reloadable key file) and JWT bearer tokens mapped
 * to scopes and per-model allow-lists, per-caller token buckets, and the request gate mounted first in the router.
 */
package io.coedge.security;
