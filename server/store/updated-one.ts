/** Whether a conditional update took effect on exactly one row: the caller learns if it won (store.ts). */
export const updatedOne = (result: { numUpdatedRows: bigint }): boolean => result.numUpdatedRows === 1n;
