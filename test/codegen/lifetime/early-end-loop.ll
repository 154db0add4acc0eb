; A lifetime.end at the bottom of a loop body reaches the next iteration's
; use through the back edge.
; RUN: not %btc --target %target --check-ir %s 2>&1 | FileCheck %s
; CHECK: error: stack slot 'buf' in probe is used after its lifetime ended
define i64 @probe(ptr %ctx) {
entry:
  %buf = alloca [8 x i8], align 8
  call void @llvm.lifetime.start.p0(i64 8, ptr %buf)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %n, %loop ]
  store i64 %i, ptr %buf
  call i64 inttoptr (i64 1 to ptr)(ptr %buf)
  call void @llvm.lifetime.end.p0(i64 8, ptr %buf)
  %n = add i64 %i, 1
  %c = icmp ult i64 %n, 4
  br i1 %c, label %loop, label %exit
exit:
  ret i64 0
}
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture)
