// One handler per route (src/hub/classify.ts says which).
import type { OutboundMessage } from "../../../adapters/contract.ts";
import type { Route } from "../classify.ts";
import type { Looked } from "../facts.ts";
import { answerChatter } from "./chatter.ts";
import { answerCommand } from "./command.ts";
import { answerJoin } from "./join.ts";
import { answerQuestion } from "./question.ts";
import { answerTooLong } from "./too-long.ts";
import { answerPick } from "./pick.ts";
import { answerRate } from "./rate.ts";
import type { Answered, RouteDeps } from "./types.ts";
import { answerVote } from "./vote.ts";

export async function answerRoute(facts: Looked, route: Route, again: boolean, deps: RouteDeps): Promise<OutboundMessage[] | Answered | null> {
  switch (route.kind) {
    case "too_long":
      return answerTooLong({ facts, route, again }, deps);
    case "command":
      return answerCommand({ facts, route, again }, deps);
    case "join":
      return answerJoin({ facts, route, again }, deps);
    case "vote":
      return answerVote({ facts, route, again }, deps);
    case "pick":
      return answerPick({ facts, route, again }, deps);
    case "rate":
      return answerRate({ facts, route, again }, deps);
    case "question":
      return answerQuestion({ facts, route, again }, deps);
    case "chatter":
      return answerChatter({ facts, route, again }, deps);
  }
}
