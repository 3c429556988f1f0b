/* Client reaction next-command: Microsoft KB Q140424's AS/400 client */
#include "client_reaction.h"

static ReactionDecision next_command_on_rejection(gconstpointer state, const RejectionFacts *facts)
{
  (void)state;
  (void)facts;
  return (ReactionDecision){REACTION_NEXT_COMMAND, 0};
}

const ClientReaction client_reaction_next_command = {
    .name = "next-command",
    .summary = "the data command fails; the next command names the next port",
    .source = "Microsoft KB Q140424 (the AS/400 client does not retry)",
    .on_rejection = next_command_on_rejection,
};
