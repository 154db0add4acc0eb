; The same loop with a lifetime.start at the top of each iteration is fine,
; as is a slot with no markers at all.
; RUN: %btc --target %target --check-ir %s | FileCheck %s
; CHECK: lifetime check passed: 1 function
define i64 @probe(ptr %ctx) {
entry:
  %buf = alloca [8 x i8], align 8
  %var = alloca i64, align 8
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %n, %loop ]
  call void @llvm.lifetime.start.p0(i64 8, ptr %buf)
  store i64 %i, ptr %buf
  store i64 %i, ptr %var
  call i64 inttoptr (i64 1 to ptr)(ptr %buf)
  call void @llvm.lifetime.end.p0(i64 8, ptr %buf)
  %n = add i64 %i, 1
  %c = icmp ult i64 %n, 4
  br i1 %c, label %loop, label %exit
exit:
  %v = load i64, ptr %var
  ret i64 0
}
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture)
