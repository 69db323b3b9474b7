/**
 * Conversations: the unit an agent host runs. A {@link dev.weft.conversation.Conversation} runs its turns on its own
 * virtual thread, calls tools through a {@link dev.weft.pool.SessionPool} as subtasks of the turn, runs the host's
 * listener for every event on its own thread, in order, and cancels structurally.
 */
package dev.weft.conversation;
