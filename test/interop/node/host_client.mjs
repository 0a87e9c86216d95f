// A storage provider's JavaScript tooling against a venusd node host (issue 11's role-split test):
// reads the chain with @glif/filecoin-rpc-client, then has the node estimate gas for a transfer,
// signs it with @zondax/filecoin-signing-tools and pushes it with MpoolPush.
//   node host_client.mjs URL TOKEN KEY_BASE64 FROM TO
// Prints one JSON line {"height", "genesis", "nonce", "cid"}; on any failure prints the reason on
// stderr and exits 1.
import GlifRpc from '@glif/filecoin-rpc-client';
import signer from '@zondax/filecoin-signing-tools';

const [url, token, key, from, to] = process.argv.slice(2);
const Glif = GlifRpc.default ?? GlifRpc;
const glif = new Glif({ apiAddress: url, token });

try {
  const head = await glif.request('ChainHead');
  const genesis = await glif.request('ChainGetGenesis');
  // The head's parents, as a client walking the chain would.
  const parent = await glif.request('ChainGetTipSet', head.Blocks[0].Parents);
  if (parent.Height >= head.Height) throw new Error(`parent height ${parent.Height} not below ${head.Height}`);
  const actor = await glif.request('StateGetActor', from, null);
  const unsigned = { Version: 0, To: to, From: from, Nonce: actor.Nonce, Value: '1000', GasLimit: 0,
    GasFeeCap: '0', GasPremium: '0', Method: 0, Params: null };
  const est = await glif.request('GasEstimateMessageGas', unsigned, { MaxFee: '0' }, null);
  const msg = { ...unsigned, GasLimit: est.GasLimit, GasFeeCap: est.GasFeeCap, GasPremium: est.GasPremium };
  const signed = signer.transactionSign({ ...msg, Params: '' }, key);
  const cid = await glif.request('MpoolPush', { Message: msg, Signature: signed.Signature });
  console.log(JSON.stringify({ height: head.Height, genesis: genesis.Cids[0]['/'], nonce: actor.Nonce, cid: cid['/'] }));
} catch (e) {
  console.error(`host client: ${e.message || e}`);
  process.exit(1);
}
