/**
 * Fleet rollout: immutable rollout records in the shared map, each node's target computed from them, and the
 * reconciler that fetches a version from a peer, verifies it and loads it. Depends on cluster, inference, security.
 */
package io.coedge.rollout;
