/**
 * Elastic scaling of the cloud tier: the demand signal read from the shared node table, the desired cloud node
 * count by a queueing estimate, the scaler's hysteresis and the actuators that start and stop nodes.
 */
package io.coedge.scaling;
