// Signs transfers with independent JavaScript libraries for the "signed by JS, executed by venusd"
// interop test: secp256k1 with @zondax/filecoin-signing-tools, BLS with @noble/curves (min-pk, as
// Filecoin). Prints Lotus-JSON SignedMessages with the CIDs computed here (signed CID for secp, the
// unsigned message CID for BLS, as Lotus).
//   node sign_messages.mjs '<json: [{type, key(base64 LE for BLS), from, to, nonce, value}]>'
import signer from '@zondax/filecoin-signing-tools';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { blake2b256 } from '@multiformats/blake2/blake2b';

const DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';
const cidOf = async (bytes) => CID.create(1, dagCbor.code, await blake2b256.digest(bytes));

const out = [];
for (const m of JSON.parse(process.argv[2])) {
  const msg = { To: m.to, From: m.from, Nonce: m.nonce, Value: m.value, GasLimit: 1000000, GasFeeCap: '100000',
    GasPremium: '1000', Method: 0, Params: '' };
  const unsigned = Buffer.from(signer.transactionSerialize(msg), 'hex');
  const mcid = await cidOf(unsigned);
  let sig, type, cid;
  if (m.type === 'secp256k1') {
    const signed = signer.transactionSign(msg, m.key);
    type = 1;
    sig = Buffer.from(signed.Signature.Data, 'base64');
    cid = await cidOf(dagCbor.encode([dagCbor.decode(unsigned), Uint8Array.from([1, ...sig])]));
  } else {
    const bls = bls12_381.longSignatures;
    const sk = Buffer.from(m.key, 'base64').reverse();   // Filecoin stores the scalar little-endian
    sig = Buffer.from(bls.sign(bls.hash(mcid.bytes, DST), sk).toBytes());
    type = 2;
    cid = mcid;
  }
  out.push({ Message: { Version: 0, ...msg, Params: null }, Signature: { Type: type, Data: sig.toString('base64') },
    CID: cid.toString() });
}
console.log(JSON.stringify(out));
