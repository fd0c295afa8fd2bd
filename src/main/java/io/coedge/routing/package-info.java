/**
 * Where a request runs: the router, the cost model, offload policies, peer selection and the remote
 * client to cloud nodes.
 */
package io.coedge.routing;
