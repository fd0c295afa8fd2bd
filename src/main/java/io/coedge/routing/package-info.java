/**
 * Where a request runs: the router, the cost model, offload policies, peer selection, tiers and hops, and the
 * remote client to higher-tier nodes.
 */
package io.coedge.routing;
