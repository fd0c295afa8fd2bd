/**
 * Transport security: TLS on the HTTP port from PEM files (reloaded when they change), mutual TLS between nodes
 * with a cluster CA, and who a caller is as far as its connection can tell ({@link io.coedge.security.PeerIdentity}).
 */
package io.coedge.security;
