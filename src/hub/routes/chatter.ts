// Talk among people, an image, a button that is no poll's: kept in the history, nothing to answer.
import type { Handler } from "./types.ts";

export const answerChatter: Handler<"chatter"> = async () => null;
