// How the hub names a person it adopted from a chat before anyone filed them ("张伟（wechat:wxid_1）"): as
// people call them, without the account it came from.

export const displayName = (name: string) => name.replace(/（[a-z]+:[^）]*）$/, "");
